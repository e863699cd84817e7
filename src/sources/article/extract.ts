import { createRequire } from 'node:module';
import type { Readability as ReadabilityClass } from '@mozilla/readability';
import { load } from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { parseHTML as ParseHtml } from 'linkedom';
import { blockSeparatedText, toPlainText, type HtmlNode } from '../parse/index.js';

interface ReadabilityLibs {
  Readability: typeof ReadabilityClass;
  parseHTML: typeof ParseHtml;
}
let readabilityLibs: ReadabilityLibs | undefined;

/**
 * linkedom and Readability cost ~15 MB of memory once loaded, and only article fetching
 * (`fetchArticles`, `refwatch check`, source previews) needs them: load them on first use.
 * `require` (both ship CommonJS) keeps {@link extractArticleText} synchronous for its callers.
 */
function readabilityLibraries(): ReadabilityLibs {
  if (!readabilityLibs) {
    const require = createRequire(import.meta.url);
    const { Readability } = require('@mozilla/readability') as { Readability: typeof ReadabilityClass };
    const { parseHTML } = require('linkedom') as { parseHTML: typeof ParseHtml };
    readabilityLibs = { Readability, parseHTML };
  }
  return readabilityLibs;
}

/** Readability gives up past this many elements; the cheerio fallback still runs. */
const MAX_ELEMENTS = 30_000;
/**
 * Readability over linkedom slows down steeply with nesting depth (1 000 nested divs take
 * ~20 s); real articles stay far below this, so deeper pages skip straight to the fallback.
 */
const MAX_DEPTH_FOR_READABILITY = 120;
/** Shorter than this, Readability's pick is more likely a teaser or a cookie banner. */
const MIN_READABILITY_CHARS = 200;
/** Shorter than this, there is no article text worth classifying. */
const MIN_TEXT_CHARS = 40;
/** Longest text returned; the rules only need the body, not an appendix. */
export const MAX_ARTICLE_CHARS = 100_000;

/** Never article text: page furniture, scripts, forms. */
const BOILERPLATE = [
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'svg',
  'form',
  'button',
  'select',
  'nav',
  'header',
  'footer',
  'aside',
  'menu',
  '[role="navigation"]',
  '[role="banner"]',
  '[role="contentinfo"]',
  '[aria-hidden="true"]',
].join(', ');

interface DomNode extends HtmlNode {
  children?: DomNode[];
  parent?: DomNode | null;
}

/** Text of an HTML fragment with one paragraph per line: block elements end a line. */
function blockText(nodes: DomNode[]): string {
  return tidy(blockSeparatedText(nodes, '\n'));
}

/** One space between words, one blank line between paragraphs. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0\u200b]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n\n');
}

function cap(text: string): string {
  return text.length <= MAX_ARTICLE_CHARS ? text : text.slice(0, MAX_ARTICLE_CHARS);
}

function fragmentText(html: string): string {
  const $ = load(html, null, false);
  $(BOILERPLATE).remove();
  return blockText($.root().toArray() as unknown as DomNode[]);
}

function viaReadability(libs: ReadabilityLibs, html: string, url: string): { title?: string; text: string } | undefined {
  const { Readability, parseHTML } = libs;
  const { document } = parseHTML(html);
  // Readability resolves relative links against the document URL; linkedom has none by default.
  const base = document.createElement('base');
  base.setAttribute('href', url);
  document.head?.appendChild(base);
  const article = new Readability(document as never, { maxElemsToParse: MAX_ELEMENTS }).parse();
  if (!article || typeof article.content !== 'string') return undefined;
  const text = fragmentText(article.content);
  if (text.length < MIN_READABILITY_CHARS) return undefined;
  const result: { title?: string; text: string } = { text };
  const title = toPlainText(article.title ?? '');
  if (title !== '') result.title = title;
  return result;
}

/** The element holding the most paragraph text: the usual shape of an article body. */
function largestBlock($: CheerioAPI): string {
  const scores = new Map<DomNode, number>();
  $('p, pre, blockquote').each((_, el) => {
    const parent = (el as unknown as DomNode).parent;
    if (!parent) return;
    scores.set(parent, (scores.get(parent) ?? 0) + $(el).text().trim().length);
  });
  let best: DomNode | undefined;
  let bestScore = 0;
  for (const [node, score] of scores) {
    if (score > bestScore) {
      best = node;
      bestScore = score;
    }
  }
  if (best) return blockText([best]);
  // No paragraphs at all (table layouts, <br> runs): take the container with most direct text.
  $('article, main, section, div, td, body').each((_, el) => {
    const node = el as unknown as DomNode;
    const own = (node.children ?? []).filter((c) => c.type === 'text').reduce((n, c) => n + (c.data ?? '').trim().length, 0);
    if (own > bestScore) {
      best = node;
      bestScore = own;
    }
  });
  return best ? blockText([best]) : '';
}

/** Element count and maximum nesting depth, walked iteratively (the page is untrusted). */
function shape($: CheerioAPI): { elements: number; depth: number } {
  let elements = 0;
  let depth = 0;
  const stack: [DomNode, number][] = ($.root().toArray() as unknown as DomNode[]).map((n) => [n, 0]);
  while (stack.length > 0) {
    const entry = stack.pop();
    if (!entry) break;
    const [node, level] = entry;
    if (node.type === 'tag' || node.type === 'script' || node.type === 'style') elements++;
    if (level > depth) depth = level;
    for (const child of node.children ?? []) stack.push([child, level + 1]);
  }
  return { elements, depth };
}

function viaLargestBlock($: CheerioAPI): { title?: string; text: string } | undefined {
  const title = toPlainText($('meta[property="og:title"]').attr('content') ?? $('title').first().text());
  $(BOILERPLATE).remove();
  const text = largestBlock($);
  if (text.length < MIN_TEXT_CHARS) return undefined;
  return title === '' ? { text } : { title, text };
}

/**
 * Main text of an article page as plain text (paragraphs separated by blank lines), with
 * navigation, footers and scripts left out. Uses Mozilla Readability over linkedom, falling
 * back to the largest block of paragraph text. Returns undefined when the page has no article text.
 * The caller decodes bytes to text first (see `decodeBody` in fetch/).
 */
export function extractArticleText(html: string, url: string): { title?: string; text: string } | undefined {
  if (typeof html !== 'string' || html.trim() === '') return undefined;
  let result: { title?: string; text: string } | undefined;
  let $: CheerioAPI;
  try {
    $ = load(html);
  } catch {
    return undefined;
  }
  const { elements, depth } = shape($);
  if (elements <= MAX_ELEMENTS && depth <= MAX_DEPTH_FOR_READABILITY) {
    // Outside the try: a missing library is a broken install, not an odd page.
    const libs = readabilityLibraries();
    try {
      result = viaReadability(libs, html, url);
    } catch {
      // Readability throws on odd documents; the fallback below still applies.
      result = undefined;
    }
  }
  if (!result) {
    try {
      result = viaLargestBlock($);
    } catch {
      return undefined;
    }
  }
  if (!result) return undefined;
  return { ...result, text: cap(result.text) };
}
