/** `refwatch check URL|FILE`: would this one article alert, and why. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { convert } from 'html-to-text';
import type { Config } from '../../config/index.js';
import { decodeBody, extractArticleText, fetchOptionsFor, fetchUrl } from '../../sources/index.js';
import { explain } from '../explain.js';
import { CliExit, EXIT, write, type CliIO } from '../io.js';
import { buildClassifier, inputLineSchema, loadFor, parsePackList, toClassifyInput } from '../shared.js';

interface CheckOptions {
  config?: string;
  packs?: string;
}

/** The article as the rules will see it. */
export interface Article {
  title: string;
  text: string;
  lang?: string;
}

const looksLikeHtml = (text: string, contentType?: string) =>
  /html|xml/i.test(contentType ?? '') || /^\s*(<!doctype|<html|<head|<body|<article|<main|<div|<p[\s>])/i.test(text);

/**
 * Turns a document into title + text: a JSON item `{title,text,lang?}`, an HTML page (article
 * extraction, falling back to all page text), or plain text (first line is the title).
 */
export function toArticle(body: string, url: string, contentType?: string): Article {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (error) {
      throw new CliExit(EXIT.usage, `refwatch check: ${url} starts with "{" but is not JSON: ${(error as Error).message}`);
    }
    const parsed = inputLineSchema.omit({ id: true }).safeParse(json);
    if (!parsed.success) {
      throw new CliExit(
        EXIT.usage,
        `refwatch check: ${url} is JSON but not an item {title, text, lang?}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    return { title: parsed.data.title, text: parsed.data.text, ...(parsed.data.lang !== undefined && { lang: parsed.data.lang }) };
  }
  if (looksLikeHtml(trimmed, contentType)) {
    const lang = /<html[^>]*\slang=["']?([A-Za-z-]+)/i.exec(trimmed)?.[1];
    const article = extractArticleText(body, url);
    const title = article?.title ?? /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim() ?? '';
    // Pages that are not articles (listings, short notices) still get checked on their visible text.
    const text = article?.text ?? convert(body, { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }] });
    return { title, text, ...(lang !== undefined && { lang: lang.toLowerCase() }) };
  }
  const [first = '', ...rest] = trimmed.split(/\r?\n/);
  return { title: first.trim(), text: rest.join('\n').trim() };
}

async function load(io: CliIO, target: string, config: Config): Promise<{ body: string; origin: string; contentType?: string }> {
  if (/^https?:\/\//i.test(target)) {
    const result = await fetchUrl(target, fetchOptionsFor(config.fetch));
    if (result.kind === 'error') throw new CliExit(EXIT.failed, `refwatch check: could not fetch ${target}: ${result.message}`);
    if (result.kind === 'not-modified')
      throw new CliExit(EXIT.failed, `refwatch check: ${target} answered 304 Not Modified to a plain GET`);
    return { body: result.text, origin: result.url, ...(result.contentType !== undefined && { contentType: result.contentType }) };
  }
  const file = path.resolve(io.cwd, target);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new CliExit(EXIT.usage, `refwatch check: cannot read ${target}: ${reason} (give an http(s) URL or a file)`);
  }
  // decodeBody honours a BOM or <meta charset> (EUC-KR pages saved from Korean sites).
  return { body: decodeBody(bytes).text, origin: file };
}

async function run(io: CliIO, target: string, options: CheckOptions): Promise<void> {
  const { config } = loadFor(io, options.config);
  const classifier = buildClassifier(config, options.packs === undefined ? undefined : parsePackList(options.packs, io.cwd));
  const { body, origin, contentType } = await load(io, target, config);
  const article = toArticle(body, /^https?:/i.test(origin) ? origin : `file://${origin}`, contentType);
  if (article.title === '' && article.text === '') throw new CliExit(EXIT.failed, `refwatch check: no text found in ${target}`);
  const result = classifier.classify(toClassifyInput(article));
  await write(io.stdout, explain({ title: article.title, origin, chars: article.text.length }, result));
}

/** Registers `refwatch check`. */
export function register(program: Command, io: CliIO): void {
  program
    .command('check')
    .description('classify one article (URL or file: HTML, text, or a JSON item) and explain why')
    .argument('<url-or-file>', 'http(s) URL to fetch, or a local .html / .txt / .json file')
    .option('-c, --config <file>', 'config file (default: $REFWATCH_CONFIG, else built-in defaults)')
    .option('-p, --packs <names>', "comma-separated rule packs (built-in names or YAML paths) instead of the config's")
    .addHelpText(
      'after',
      [
        '',
        'Prints the decision, score, severity, each rule with its reasons, the matched terms',
        'with snippets, and the people and places found.',
        '',
        'Examples:',
        '  $ refwatch check https://example.org/news/some-article',
        '  $ refwatch check saved-article.html',
        '',
      ].join('\n'),
    )
    .action((target: string, options: CheckOptions) => run(io, target, options));
}
