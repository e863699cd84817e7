/**
 * Synthetic feed items for the pipeline benchmark: off-topic filler (the bulk of every feed)
 * and on-topic items that the default rule packs alert on, each a distinct story (unique
 * URL, title and body, so story grouping never merges two of them).
 */

/** Deterministic PRNG (mulberry32): the same seed gives the same feeds on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Everyday news vocabulary written for this benchmark; random pairs make distinct shingles.
const FILLER = (
  'council budget harbour festival rainfall tourism orchestra museum bridge tunnel railway ' +
  'election turnout farmers harvest prices wheat coffee exports shipping port airline pilots ' +
  'strike teachers schools exams students library hospital nurses vaccine clinic weather storm ' +
  'flood drought energy solar turbine grid factory workers wages inflation interest bank ' +
  'housing rents mayor park cyclists marathon football league coach stadium concert film ' +
  'novel author award bakery market vendors fishermen quota forest wildfire volunteers'
).split(' ');

const PLACES = ['Dandong', 'Tumen', 'Jilin', 'Yanbian', 'Shenyang', 'Changbai', 'Hunchun', 'Helong'];

/** One RSS item as the feed server renders it. */
export interface FeedItem {
  guid: string;
  title: string;
  link: string;
  description: string;
  /** Milliseconds since the epoch; rendered as pubDate. */
  published: number;
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

/** `words` random filler words as sentences. */
export function fillerText(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    out.push(pick(rand, FILLER));
    if (i % 12 === 11) out.push('.');
  }
  return out.join(' ').replace(/ \./g, '.');
}

/** The k-th baseline item of feed `feed`: off-topic, ~500 bytes, stable across calls. */
export function baseItem(feed: number, k: number, epoch: number): FeedItem {
  const rand = seededRandom(feed * 1009 + k * 7919 + 1);
  const title = `${pick(rand, FILLER)} ${pick(rand, FILLER)} ${pick(rand, FILLER)} report ${feed}-${k}`;
  return {
    guid: `bench-${feed}-${k}`,
    title,
    link: `https://news.example.org/${feed}/${k}`,
    description: fillerText(rand, 70),
    published: epoch - k * 3_600_000,
  };
}

/**
 * An on-topic item the default packs decide `alert` on. `token` is unique and appears in the
 * title and link, so a post in the fake Discord can be traced back to its item.
 */
export function matchingItem(token: string, seed: number, published: number): FeedItem {
  const rand = seededRandom(seed);
  const count = 10 + Math.floor(rand() * 500);
  const place = pick(rand, PLACES);
  const lead =
    `Chinese authorities forcibly repatriated about ${count} North Korean defectors detained in ${place}, ` +
    'rights groups said. The escapees face torture after refoulement to the DPRK.';
  return {
    guid: `match-${token}`,
    title: `China forcibly repatriates ${count} North Korean defectors from ${place} ${token}`,
    link: `https://news.example.org/nk/${token}`,
    // Filler before the lead too: SimHash reads the first 1000 characters, so bodies differ there.
    description: `${fillerText(rand, 60)}. ${lead} ${fillerText(rand, 60)}`,
    published,
  };
}

/** An off-topic item for the analyze stage (decision `ignore`). */
export function ignoredItem(token: string, seed: number, published: number): FeedItem {
  const rand = seededRandom(seed);
  return {
    guid: `plain-${token}`,
    title: `${pick(rand, FILLER)} ${pick(rand, FILLER)} update ${token}`,
    link: `https://news.example.org/plain/${token}`,
    description: fillerText(rand, 140),
    published,
  };
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function xml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => XML_ESCAPES[c] ?? c);
}

/** An RSS 2.0 document for `items` (newest first). */
export function renderRss(feed: number, items: readonly FeedItem[]): string {
  const body = items
    .map(
      (item) =>
        `<item><title>${xml(item.title)}</title><link>${xml(item.link)}</link>` +
        `<guid isPermaLink="false">${xml(item.guid)}</guid><pubDate>${new Date(item.published).toUTCString()}</pubDate>` +
        `<description>${xml(item.description)}</description></item>`,
    )
    .join('\n');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Bench feed ${feed}</title>` +
    `<link>https://news.example.org/${feed}</link><description>benchmark feed</description>\n${body}\n</channel></rss>`
  );
}
