import robotsParserModule from 'robots-parser';
import { DEFAULT_USER_AGENT, type FetchResult } from './types.js';

/** The part of robots-parser's `Robot` we use (its typings do not export it). */
interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
}
type RobotsParse = (url: string, robotstxt: string) => Robot;

// robots-parser is CommonJS (`module.exports = fn`) but its typings declare a default
// export, so TypeScript and Node disagree on what the default import is; accept both.
const robotsParser = ((robotsParserModule as unknown as { default?: RobotsParse }).default ?? robotsParserModule) as unknown as RobotsParse;

/**
 * Fetches a robots.txt URL. Return the {@link FetchResult} of `fetchUrl` (preferred:
 * statuses are interpreted per RFC 9309), or the body text, or undefined for "none".
 */
export type RobotsFetcher = (robotsUrl: string) => Promise<FetchResult | string | undefined>;

/** A cached verdict source for one origin. */
export interface CachedRobots {
  /** Parsed rules, or a blanket answer when robots.txt was missing/unreachable. */
  rules: Robot | 'allow-all' | 'disallow-all';
  expiresAt: number;
}

export interface RobotsOptions {
  /** Whose rules apply; the product token before "/" is matched (default: the bot's UA). */
  userAgent?: string;
  /** Per-origin cache; defaults to one shared in-memory map. */
  cache?: Map<string, CachedRobots>;
  /** How long a robots.txt is trusted (default 1 h; RFC 9309 says at most 24 h). */
  ttlMs?: number;
  now?: () => number;
}

const sharedCache = new Map<string, CachedRobots>();
const DEFAULT_TTL_MS = 60 * 60 * 1000;

/** Empties the shared robots.txt cache (e.g. after a config reload). */
export function clearRobotsCache(): void {
  sharedCache.clear();
}

/** RFC 9309 §2.3.1: 4xx means no rules; 5xx or unreachable means assume disallow. */
function interpret(robotsUrl: string, fetched: FetchResult | string | undefined): CachedRobots['rules'] {
  if (fetched === undefined) return 'allow-all';
  if (typeof fetched === 'string') return robotsParser(robotsUrl, fetched);
  if (fetched.kind === 'ok') return robotsParser(robotsUrl, fetched.text); // rules of the origin asked, even after a redirect
  // We never send validators for robots.txt, so 304 only comes from a misbehaving cache.
  if (fetched.kind === 'not-modified') return 'allow-all';
  if (
    fetched.code === 'http-status' &&
    fetched.status !== undefined &&
    fetched.status >= 400 &&
    fetched.status < 500 &&
    fetched.status !== 429
  ) {
    return 'allow-all';
  }
  return 'disallow-all';
}

/**
 * Whether robots.txt on `url`'s origin lets this bot fetch `url` (HTML sources check
 * it; feeds are meant to be polled). robots.txt is fetched through `fetchText` once per
 * origin and cached in memory. Invalid URLs and non-http(s) schemes are refused.
 */
export async function isAllowedByRobots(url: string, fetchText: RobotsFetcher, options: RobotsOptions = {}): Promise<boolean> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return false;
  const cache = options.cache ?? sharedCache;
  const now = (options.now ?? Date.now)();
  const robotsUrl = new URL('/robots.txt', target.origin).href;

  let entry = cache.get(target.origin);
  if (!entry || entry.expiresAt <= now) {
    let fetched: FetchResult | string | undefined;
    try {
      fetched = await fetchText(robotsUrl);
    } catch {
      // A throwing fetcher is "unreachable": RFC 9309 says assume complete disallow.
      fetched = { kind: 'error', code: 'network', url: robotsUrl, message: 'robots.txt fetch threw' };
    }
    entry = { rules: interpret(robotsUrl, fetched), expiresAt: now + (options.ttlMs ?? DEFAULT_TTL_MS) };
    cache.set(target.origin, entry);
  }
  if (entry.rules === 'allow-all') return true;
  if (entry.rules === 'disallow-all') return false;
  // undefined means "different origin than this robots.txt" (after a redirect): no rules apply.
  return entry.rules.isAllowed(target.href, options.userAgent ?? DEFAULT_USER_AGENT) ?? true;
}
