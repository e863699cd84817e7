import Parser from 'rss-parser';
import { xmlText } from './text.js';

/** One item as read from a feed, before normalisation: strings as found, nothing decided yet. */
export interface RawItem {
  guid?: string;
  link?: string;
  /** Title as found (may hold markup or entities). */
  title?: string;
  /** Description / summary / content as found (HTML or text). */
  summary?: string;
  /** Candidate date strings, best first (pubDate, dc:date, published, updated). */
  dates: string[];
  author?: string;
  /** Outlet named by the feed itself (Bing `News:Source`). */
  publisher?: string;
  /** RSS `<source>` text: the outlet on Google News, but a topic or channel name elsewhere (UN News, ReliefWeb). */
  sourceName?: string;
  lang?: string;
}

/** A feed or page as read, before normalisation. */
export interface RawFeed {
  title?: string;
  link?: string;
  lang?: string;
  items: RawItem[];
  /** Problems met while reading (e.g. items cut off), passed through to the result. */
  warnings?: string[];
}

/** Reading a feed or page: raw items, or an error naming what is wrong. */
export type RawResult = { kind: 'ok'; feed: RawFeed } | { kind: 'error'; message: string };

type Loose = Record<string, unknown>;

/** Where the first element starts, after the prolog (declaration, PIs, comments, DOCTYPE with internal subset). */
function rootStart(text: string): number {
  // A scan, not one regex: a regex repeating lazy `[\s\S]*?` groups backtracks exponentially
  // on a long hostile prolog (a few dozen comments blocked the worker for hours).
  let at = 0;
  for (;;) {
    while (at < text.length && /\s/.test(text[at] ?? '')) at++;
    let end = -1;
    if (text.startsWith('<?', at)) end = closeAfter(text, at + 2, '?>');
    else if (text.startsWith('<!--', at)) end = closeAfter(text, at + 4, '-->');
    else if (/^<!DOCTYPE/i.test(text.slice(at, at + 9))) {
      const bracket = text.indexOf('[', at);
      const close = text.indexOf('>', at);
      const subsetEnd = bracket >= 0 && (close < 0 || bracket < close) ? text.indexOf(']', bracket) : at;
      end = subsetEnd < 0 ? -1 : closeAfter(text, subsetEnd, '>');
    } else return at;
    if (end < 0) return -1;
    at = end;
  }
}

/** Index just past the first `marker` at or after `from`, or -1. */
function closeAfter(text: string, from: number, marker: string): number {
  const found = text.indexOf(marker, from);
  return found < 0 ? -1 : found + marker.length;
}

/** True when the document's root element is <rss> or <rdf:RDF>. */
function hasRssRoot(text: string): boolean {
  const at = rootStart(text);
  return at >= 0 && /^<(?:rss|rdf:RDF)[\s>]/i.test(text.slice(at, at + 9));
}

const ITEM_FIELDS = [
  'published',
  'updated',
  'rw-published',
  'rw-updated',
  'description',
  ['title', 'rawTitle', { keepArray: true }],
  ['source', 'gnSource', { keepArray: true }],
  ['News:Source', 'bingSource'],
  ['media:content', 'mediaContent', { keepArray: true }],
] as const;

/** A fresh parser per call: xml2js parsers keep listeners and state between parseString calls. */
function makeParser(): Parser<Loose, Loose> {
  return new Parser<Loose, Loose>({
    defaultRSS: 2.0,
    customFields: {
      feed: ['dc:language' as never],
      item: ITEM_FIELDS as unknown as string[],
    },
  });
}

function str(value: unknown): string | undefined {
  const text = xmlText(value)?.trim();
  return text === undefined || text === '' ? undefined : text;
}

/** Google News `<source url="…">Publisher</source>`; ReliefWeb uses the same element. */
function sourceName(value: unknown): string | undefined {
  return Array.isArray(value) ? str(value[0]) : str(value);
}

function toRawItem(item: Loose): RawItem {
  const dates = [item.pubDate, item.date, item.published, item['rw-published'], item.updated, item['rw-updated']]
    .map((d) => (typeof d === 'string' || typeof d === 'object' ? str(d) : undefined))
    .filter((d): d is string => d !== undefined);
  const raw: RawItem = { dates };
  const guid = str(item.guid) ?? str(item.id) ?? str(item['rdf:about']);
  const link = str(item.link);
  const title = str(item.rawTitle) ?? str(item.title);
  // RSS: rss-parser puts <description> (markup rebuilt) in `content`. Atom: prefer the short
  // <summary> to the full <content>, as a feed reader would show it.
  const summary =
    item.description !== undefined
      ? (str(item.content) ?? str(item['content:encoded']))
      : (str(item.summary) ?? str(item.content) ?? str(item['content:encoded']));
  const author = str(item.creator) ?? str(item.author) ?? str(item['dc:creator']);
  const publisher = str(item.bingSource);
  const channel = sourceName(item.gnSource);
  const lang = str(item.language);
  if (guid !== undefined) raw.guid = guid;
  if (link !== undefined) raw.link = link;
  if (title !== undefined) raw.title = title;
  if (summary !== undefined) raw.summary = summary;
  if (author !== undefined) raw.author = author;
  if (publisher !== undefined) raw.publisher = publisher;
  if (channel !== undefined) raw.sourceName = channel;
  if (lang !== undefined) raw.lang = lang;
  return raw;
}

/** Turns sax's multi-line message ("…\nLine: 0\nColumn: 12\nChar: ;") into one line an operator can read. */
function describeXmlError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const [first = 'unknown error', ...rest] = message.split('\n');
  const line = /Line: (\d+)/.exec(rest.join(' '));
  const column = /Column: (\d+)/.exec(rest.join(' '));
  const where = line && column ? ` at line ${Number(line[1]) + 1}, column ${column[1]}` : '';
  if (/Feed not recognized/i.test(first)) return 'not an RSS or Atom feed: the XML root is not <rss>, <rdf:RDF> or <feed>';
  if (/Cannot read propert/i.test(first)) return `feed structure is incomplete (${first})`;
  return `not well-formed XML: ${first}${where}`;
}

/**
 * One known, safe repair for the error at hand, or undefined. Each repair runs at most once
 * (recorded in `done`). Neither enables DTD entities: billion laughs and XXE still fail.
 */
function repair(text: string, error: unknown, done: string[]): string | undefined {
  const message = error instanceof Error ? error.message : '';
  // rss-parser converts Atom <published>/<updated> with `new Date().toISOString()`, which
  // throws on one bad date and loses the whole feed; renamed, they are read raw instead.
  if (error instanceof RangeError && /Invalid time value/.test(message) && !done.includes('atom-dates')) {
    done.push('atom-dates');
    return text.replace(/<(\/?)(published|updated)(?=[\s>/])/g, '<$1rw-$2');
  }
  // "AT&T" or "?a=1&b=2" written unescaped: common in hand-made feeds, and unambiguous.
  if (/Invalid character in entity name/.test(message) && !done.includes('bare-ampersands')) {
    done.push('bare-ampersands');
    return text.replace(/&(?!(?:[A-Za-z][\w.-]*|#\d+|#x[0-9A-Fa-f]+);)/g, '&amp;');
  }
  return undefined;
}

async function parseOnce(text: string): Promise<Loose> {
  return (await makeParser().parseString(text)) as unknown as Loose;
}

/**
 * Parses RSS 0.9x/1.0/2.0 or Atom text with rss-parser. Never throws: malformed XML, DTD
 * entity tricks (sax refuses them) and non-feeds come back as `{ kind: 'error' }`.
 */
export async function parseXmlFeed(text: string): Promise<RawResult> {
  // rss-parser dereferences channel[0]; a feed with no channel is empty, not broken.
  if (hasRssRoot(text) && !/<channel[\s>/]/.test(text)) {
    return { kind: 'ok', feed: { items: [], warnings: ['feed has no <channel> element, so no items'] } };
  }
  let feed: Loose;
  let attempt = text;
  const repairs: string[] = [];
  for (;;) {
    try {
      feed = await parseOnce(attempt);
      break;
    } catch (error) {
      // Terminates: each repair applies at most once, then repair() returns undefined.
      const repaired = repair(attempt, error, repairs);
      if (repaired === undefined) return { kind: 'error', message: describeXmlError(error) };
      attempt = repaired;
    }
  }
  const items = Array.isArray(feed.items) ? (feed.items as Loose[]) : [];
  const raw: RawFeed = { items: items.map(toRawItem) };
  if (repairs.includes('bare-ampersands'))
    raw.warnings = ['feed has unescaped "&" characters (not well-formed XML); they were read as text'];
  const title = str(feed.title);
  const link = str(feed.link);
  const lang = str(feed.language) ?? str(feed['dc:language']);
  if (title !== undefined) raw.title = title;
  if (link !== undefined) raw.link = link;
  if (lang !== undefined) raw.lang = lang;
  return { kind: 'ok', feed: raw };
}
