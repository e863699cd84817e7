import { IANAZone } from 'luxon';
import type { Source } from '../../domain/index.js';
import { parseHtmlListing } from './html.js';
import { normalizeItems } from './normalize.js';
import type { NormalizeContext } from './normalize.js';
import { parseXmlFeed } from './rss.js';
import type { RawResult } from './rss.js';
import { toPlainText } from './text.js';
import type { ParseOptions, ParseResult } from './types.js';

/** Decoded text larger than this is refused outright (fetch caps bodies at 5 MiB by default). */
export const MAX_PARSE_CHARS = 20 * 1024 * 1024;

/** Skips the XML declaration, comments and processing instructions before the first element. */
const PROLOGUE = /^(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*)*/;

function preview(text: string): string {
  return JSON.stringify(text.slice(0, 40).replace(/[^\x20-\x7e\u00a0-\uffff]/g, '?'));
}

/** Refuses what is clearly not XML feed text, with a message that says what it is instead. */
function sniff(text: string): string | undefined {
  if (text.startsWith('{') || text.startsWith('[')) {
    return 'document is JSON, not RSS/Atom; JSON Feed and JSON APIs are not supported by this parser';
  }
  if (!text.startsWith('<')) return `document is not XML (it starts with ${preview(text)}); check the URL and Content-Type`;
  const body = text.replace(PROLOGUE, '').slice(0, 200);
  if (/^<!doctype\s+html|^<html[\s>]/i.test(body)) {
    return 'document is an HTML page, not a feed; find the feed URL or configure the source as type "html" with selectors';
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Parses fetched feed or page text into normalised items. RSS 0.9x/1.0/2.0 and Atom go through
 * rss-parser (`source.type === 'rss'`); HTML listing pages through cheerio with `source.select`.
 * `baseUrl` is the final fetched URL (relative links resolve against it, else `source.url`).
 * Never throws: unparseable input yields `{ kind: 'error', message }`.
 */
export async function parseFeed(text: string, source: Source, baseUrl?: string, options: ParseOptions = {}): Promise<ParseResult> {
  try {
    if (typeof text !== 'string') return { kind: 'error', message: 'document is not text' };
    if (text.length > MAX_PARSE_CHARS) {
      return { kind: 'error', message: `document is ${text.length} characters, over the ${MAX_PARSE_CHARS} limit` };
    }
    // A BOM or blank lines before the XML declaration make sax fail with "Non-whitespace before first tag".
    const body = text.replace(/^[\ufeff\s]+/, '');
    if (body === '') return { kind: 'error', message: 'document is empty' };

    const warnings: string[] = [];
    let zone: string | undefined;
    if (source.timezone !== undefined) {
      if (IANAZone.isValidZone(source.timezone)) zone = source.timezone;
      else warnings.push(`source timezone "${source.timezone}" is not an IANA zone name; zone-less dates read as UTC`);
    }

    let raw: RawResult;
    if (source.type === 'html') {
      if (!source.select) return { kind: 'error', message: `source "${source.id}" is type html but has no select (item, title, link)` };
      raw = parseHtmlListing(body, source.select);
    } else {
      const refused = sniff(body);
      if (refused !== undefined) return { kind: 'error', message: refused };
      raw = await parseXmlFeed(body);
    }
    if (raw.kind === 'error') return raw;

    const ctx: NormalizeContext = { source, now: (options.now ?? Date.now)() };
    if (baseUrl !== undefined) ctx.baseUrl = baseUrl;
    if (zone !== undefined) ctx.zone = zone;
    const normalized = normalizeItems(raw.feed, ctx);
    const result: ParseResult = { kind: 'ok', items: normalized.items, warnings: [...warnings, ...normalized.warnings] };
    const title = raw.feed.title === undefined ? '' : toPlainText(raw.feed.title);
    if (title !== '') result.title = title;
    return result;
  } catch (error) {
    // Last line of defence: a parser bug must cost one poll, not the worker.
    return { kind: 'error', message: `parser failed unexpectedly: ${describe(error)}` };
  }
}
