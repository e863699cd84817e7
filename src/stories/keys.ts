import type { Item } from '../domain/index.js';
import { hammingDistance, simhash, simhashBands } from './simhash.js';
import { fold, isRecurringTitle, stripDateline, stripPublisherSuffix, stripWireTags, titleWeight, tokens } from './text.js';

/** What identifies a story across outlets; see {@link storyKeys}. */
export interface StoryKeys {
  /** Normalised canonical URL (scheme, www., fragment, tracking parameters dropped). */
  urlKey?: string;
  /** Folded title without wire tags or publisher suffix; absent when too short to be distinctive. */
  titleKey?: string;
  /** 64-bit SimHash of title + start of the text. */
  simhash: bigint;
  /** LSH bands "i:hhhh"; empty when there is too little text for SimHash to mean anything. */
  bands: string[];
}

/**
 * Hamming distance at or under which two SimHashes are the same story. Measured on the
 * fixtures in test/unit/stories: reprints with a new headline and a trimmed body land at
 * 2–9 bits, different stories on the same subject at 21+ (a 64-bit SimHash moves ~6 bits
 * for a 5 % change in features, so the ≤ 3 of the literature only catches exact copies).
 * 10 bits ≈ cosine similarity 0.87 of the weighted shingles.
 */
export const SIMHASH_MAX_DISTANCE = 10;
/** Only the start of the article: trimmed reprints keep the lead, and later paragraphs drift. */
export const BODY_CHARS = 1000;
/** Fewer content features than this and two unrelated short texts collide too easily. */
const MIN_FEATURES = 12;
/** Latin-script words / CJK characters a title needs before equal titles mean the same story. */
const MIN_TITLE_WORDS = 4;
const MIN_TITLE_CJK = 8;

const TRACKING = /^(?:utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref|ref_src|cmpid|ocid|rss|from|cid)$/iu;

/** Normalises a URL for identity; undefined when it does not parse as http(s). */
export function urlKeyOf(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const host = url.hostname.toLowerCase().replace(/^www\./u, '');
  const params = [...url.searchParams].filter(([k]) => !TRACKING.test(k)).sort(([a], [b]) => a.localeCompare(b));
  const query = params.length > 0 ? `?${new URLSearchParams(params).toString()}` : '';
  const path = url.pathname.replace(/\/+$/u, '') || '/';
  return `${host}${url.port ? `:${url.port}` : ''}${path}${query}`;
}

/** The title key, or undefined when the cleaned title is too short or recurs (briefings). */
export function titleKeyOf(title: string, publisher?: string): string | undefined {
  const cleaned = stripPublisherSuffix(stripWireTags(title), publisher);
  if (isRecurringTitle(cleaned)) return undefined;
  const folded = fold(cleaned);
  const { words, cjkChars } = titleWeight(folded);
  // Mixed titles count two CJK characters as one word.
  if (words + cjkChars / 2 < Math.min(MIN_TITLE_WORDS, MIN_TITLE_CJK / 2)) return undefined;
  return folded;
}

/**
 * Headline features weigh half a body feature: reprints rewrite headlines far more than
 * they rewrite the lead, and equal headlines are caught by the title key anyway.
 */
const TITLE_WEIGHT = 0.5;

/** Shingles of two consecutive content tokens, counted (repeated phrases weigh more). */
function features(title: string, body: string): Map<string, number> {
  const out = new Map<string, number>();
  const add = (toks: string[], weight: number): void => {
    if (toks.length === 1 && toks[0] !== undefined) out.set(toks[0], (out.get(toks[0]) ?? 0) + weight);
    for (let i = 0; i + 1 < toks.length; i += 1) {
      const shingle = `${toks[i]} ${toks[i + 1]}`;
      out.set(shingle, (out.get(shingle) ?? 0) + weight);
    }
  };
  // Title and body are shingled apart so the seam between them does not add a random feature.
  add(tokens(title), TITLE_WEIGHT);
  add(tokens(body), 1);
  return out;
}

/** Canonical keys for an item: URL, title and SimHash (with its LSH bands). */
export function storyKeys(item: Item): StoryKeys {
  const keys: StoryKeys = { simhash: 0n, bands: [] };
  const url = item.canonicalUrl ?? item.url;
  const urlKey = url === undefined ? undefined : urlKeyOf(url);
  if (urlKey !== undefined) keys.urlKey = urlKey;
  const titleKey = titleKeyOf(item.title, item.publisher);
  if (titleKey !== undefined) keys.titleKey = titleKey;
  const title = stripPublisherSuffix(stripWireTags(item.title), item.publisher);
  const text = item.text !== undefined && item.text.length > item.summary.length ? item.text : item.summary;
  // A summary that merely repeats the title (Google News) adds nothing.
  const body = fold(text) === fold(title) ? '' : stripDateline(text).slice(0, BODY_CHARS);
  const feats = features(title, body);
  keys.simhash = simhash(feats);
  if (feats.size >= MIN_FEATURES) keys.bands = simhashBands(keys.simhash);
  return keys;
}

/** The verdict of {@link isSameStory}, with the reason in words. */
export interface StoryMatch {
  same: boolean;
  by?: 'url' | 'title' | 'simhash';
  /** Hamming distance of the SimHashes, when both had enough text. */
  distance?: number;
  why: string;
}

function keysOf(x: Item | StoryKeys): StoryKeys {
  return 'simhash' in x ? x : storyKeys(x);
}

/** Same story when URL keys or title keys are equal, or SimHashes are within {@link SIMHASH_MAX_DISTANCE}. */
export function isSameStory(a: Item | StoryKeys, b: Item | StoryKeys): StoryMatch {
  const ka = keysOf(a);
  const kb = keysOf(b);
  const comparable = ka.bands.length > 0 && kb.bands.length > 0;
  const distance = comparable ? hammingDistance(ka.simhash, kb.simhash) : undefined;
  const withDistance = distance === undefined ? {} : { distance };
  if (ka.urlKey !== undefined && ka.urlKey === kb.urlKey) {
    return { same: true, by: 'url', ...withDistance, why: `same URL ${ka.urlKey}` };
  }
  if (ka.titleKey !== undefined && ka.titleKey === kb.titleKey) {
    return { same: true, by: 'title', ...withDistance, why: `same title "${ka.titleKey}"` };
  }
  if (distance === undefined) {
    return { same: false, why: 'different URL and title; too little text to compare content' };
  }
  if (distance <= SIMHASH_MAX_DISTANCE) {
    return { same: true, by: 'simhash', distance, why: `near-identical text (SimHash distance ${distance} ≤ ${SIMHASH_MAX_DISTANCE})` };
  }
  return { same: false, distance, why: `different URL and title; text differs (SimHash distance ${distance} > ${SIMHASH_MAX_DISTANCE})` };
}
