import type { Item } from '../../domain/index.js';

/**
 * Outcome of parsing one fetched feed or page. Expected failures (not a feed, malformed XML,
 * selectors that match nothing) are an `error` with a message naming what is wrong; never a throw.
 */
export type ParseResult = { kind: 'ok'; title?: string; items: Item[]; warnings: string[] } | { kind: 'error'; message: string };

/** Optional knobs for {@link parseFeed}; the defaults suit production. */
export interface ParseOptions {
  /**
   * Clock used to reject dates in the future (ms since epoch).
   * @defaultValue `Date.now`
   */
  now?: () => number;
}
