import { load } from 'cheerio';

/** Elements whose text is never article text. */
const DROP_SELECTOR = 'script, style, noscript, template, iframe, object, svg, head';

/** Elements after which words must not run together once tags are gone. */
const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);

/** Entities left behind when a feed escaped its text twice (`&amp;amp;`, `&amp;#039;`). */
const ENTITY = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;
const TAG = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/i;

/** More passes than this means the text is literally about entities; leave the rest alone. */
const MAX_PASSES = 3;

/** The part of a cheerio/htmlparser2 node the text walk reads. */
export interface HtmlNode {
  type: string;
  data?: string;
  name?: string;
  children?: HtmlNode[];
}

/**
 * Text of a node list with `separator` around every block element, so words of adjacent
 * blocks never run together. Iterative: hostile input can nest deeper than the call stack.
 */
export function blockSeparatedText(nodes: readonly HtmlNode[], separator: string): string {
  const parts: string[] = [];
  const stack: (HtmlNode | string)[] = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined) break;
    if (typeof node === 'string') {
      parts.push(node);
      continue;
    }
    if (node.type === 'text') {
      parts.push(node.data ?? '');
      continue;
    }
    if (node.name !== undefined && BLOCK_TAGS.has(node.name)) {
      parts.push(separator);
      stack.push(separator);
    }
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push(child);
    }
  }
  return parts.join('');
}

/** One pass: parse as an HTML fragment, drop non-text elements, keep text with block breaks as spaces. */
function htmlPass(html: string): string {
  const $ = load(html, null, false);
  $(DROP_SELECTOR).remove();
  return blockSeparatedText($.root().toArray() as unknown as HtmlNode[], ' ');
}

/** Collapses all runs of whitespace (including NBSP and zero-width joiners) into single spaces. */
export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0\u200b\u2028\u2029\ufeff]+/g, ' ').trim();
}

/**
 * Plain text from feed HTML or text: tags stripped (scripts and styles with their content),
 * entities decoded including double-escaped ones, whitespace collapsed.
 */
export function toPlainText(input: string): string {
  let text = input;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    if (!ENTITY.test(text) && !TAG.test(text)) break;
    const next = htmlPass(text);
    if (next === text) break;
    text = next;
  }
  return collapseWhitespace(text);
}

/**
 * Text of a value rss-parser copied out of xml2js: a string, `{ _: text }`, or an element with
 * markup children when a feed put raw HTML (`<b>x</b>`) in a title. Depth-limited.
 */
export function xmlText(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (depth > 8 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    const parts = value.map((v) => xmlText(v, depth + 1)).filter((v): v is string => v !== undefined);
    return parts.length > 0 ? parts.join(' ') : undefined;
  }
  const parts: string[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (key === '$' || key === '_') continue;
    const t = xmlText(child, depth + 1);
    if (t !== undefined) parts.push(t);
  }
  const own = (value as { _?: unknown })._;
  if (typeof own === 'string') parts.push(own);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/**
 * Splits a Google News title `Headline - Publisher`. With a known publisher only that exact
 * suffix is removed; without one the last ` - ` part is taken when it is short enough to be a name.
 */
export function splitPublisherSuffix(title: string, publisher?: string): { title: string; publisher?: string } {
  if (publisher !== undefined && publisher !== '') {
    for (const sep of [' - ', ' – ', ' | ']) {
      const suffix = `${sep}${publisher}`;
      if (title.endsWith(suffix) && title.length > suffix.length) {
        return { title: title.slice(0, -suffix.length).trim(), publisher };
      }
    }
    return { title, publisher };
  }
  const at = title.lastIndexOf(' - ');
  if (at <= 0) return { title };
  const name = title.slice(at + 3).trim();
  if (name === '' || name.length > 60) return { title };
  return { title: title.slice(0, at).trim(), publisher: name };
}
