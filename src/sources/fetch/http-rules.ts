import type { FetchErrorCode } from './types.js';

/** Statuses whose `Location` we follow (always re-issued as GET: we only GET). */
export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Schemes a feed may be fetched over; anything else (file:, ftp:, gopher:) is refused. */
export function isFetchableProtocol(protocol: string): boolean {
  return protocol === 'http:' || protocol === 'https:';
}

/** What to do with one redirect response. */
export type RedirectDecision = { kind: 'follow'; url: URL } | { kind: 'refuse'; code: FetchErrorCode; reason: string };

/**
 * Decides whether to follow a redirect from `from` to `location`. Pure: the caller keeps
 * `visited` (every URL requested so far) and `hops` (redirects already followed).
 * Refuses a missing/unparsable Location, non-http(s) targets, https→http downgrades,
 * loops and more than `maxRedirects` hops. Address checks happen per hop in fetchUrl.
 */
export function resolveRedirect(
  from: URL,
  location: string | undefined,
  visited: ReadonlySet<string>,
  hops: number,
  maxRedirects: number,
): RedirectDecision {
  if (location === undefined || location.trim() === '') {
    return { kind: 'refuse', code: 'http-status', reason: 'redirected without a Location header' };
  }
  let next: URL;
  try {
    next = new URL(location.trim(), from);
  } catch {
    return { kind: 'refuse', code: 'bad-url', reason: `redirected to an invalid URL (${location.slice(0, 200)})` };
  }
  next.hash = '';
  if (!isFetchableProtocol(next.protocol)) {
    return { kind: 'refuse', code: 'blocked', reason: `redirected to ${next.protocol} (only http and https are fetched)` };
  }
  if (from.protocol === 'https:' && next.protocol === 'http:') {
    return { kind: 'refuse', code: 'blocked', reason: `redirected from https to plain http (${next.href}); refusing the downgrade` };
  }
  if (visited.has(next.href)) {
    return { kind: 'refuse', code: 'too-many-redirects', reason: `redirect loop back to ${next.href}` };
  }
  if (hops >= maxRedirects) {
    return { kind: 'refuse', code: 'too-many-redirects', reason: `more than ${maxRedirects} redirects (last to ${next.href})` };
  }
  return { kind: 'follow', url: next };
}

/**
 * Parses `Retry-After` (delta-seconds or an HTTP-date) into milliseconds from `now`.
 * Undefined when absent or unparsable; dates in the past give 0.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Date.parse accepts more than IMF-fixdate; require a letter so "1.5" or "-3" don't pass.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
