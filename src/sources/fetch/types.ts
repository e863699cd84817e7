import type { LookupFunction } from 'node:net';

export type { LookupFunction };

/** Options for {@link fetchUrl}. The required fields mirror `FetchConfig` in src/config. */
export interface FetchOptions {
  /** Total budget for every hop, headers and body together (default 15 000). */
  timeoutMs: number;
  /** Cap on *decoded* body bytes, after gzip/deflate/br (default 5 MiB). */
  maxBytes: number;
  /** Redirect hops followed before giving up (default 5). */
  maxRedirects: number;
  /** Names the bot and a contact URL, so site owners can reach the operator. */
  userAgent: string;
  /** Lets sources live on loopback / private ranges (intranets, tests). */
  allowPrivateNetworks: boolean;
  /** Sent as `If-None-Match`. */
  etag?: string;
  /** Sent as `If-Modified-Since`. */
  lastModified?: string;
  /** `Accept` header; defaults to feeds first, then HTML. */
  accept?: string;
  /** Injectable DNS with the shape of `dns.lookup` (tests fake DNS with it). */
  lookup?: LookupFunction;
  /**
   * Addresses or CIDR ranges allowed even though they are private, e.g. `["10.1.2.3/32"]`
   * for one intranet feed without opening every private range.
   */
  allowAddresses?: readonly string[];
  /** Caller's cancellation (e.g. shutdown); reported as a `network` error. */
  signal?: AbortSignal;
  /** Clock for `Retry-After` dates (tests). */
  now?: () => number;
}

/** Why a fetch failed; stable codes callers switch on. */
export type FetchErrorCode = 'timeout' | 'http-status' | 'too-large' | 'blocked' | 'too-many-redirects' | 'network' | 'bad-url';

/** Outcome of {@link fetchUrl}; expected failures are values, never thrown. */
export type FetchResult =
  | {
      kind: 'ok';
      status: number;
      /** Final URL after redirects. */
      url: string;
      text: string;
      charset: string;
      contentType?: string;
      etag?: string;
      lastModified?: string;
      /** Decoded body size in bytes. */
      bytes: number;
    }
  | { kind: 'not-modified'; url: string; etag?: string; lastModified?: string }
  | {
      kind: 'error';
      code: FetchErrorCode;
      /** Names the URL and what the operator can do about it. */
      message: string;
      url: string;
      status?: number;
      /** From `Retry-After` on 429/503. */
      retryAfterMs?: number;
    };

/** The error variant of {@link FetchResult}. */
export type FetchError = Extract<FetchResult, { kind: 'error' }>;

/** Default User-Agent: bot name, version and where to reach the maintainers. */
export const DEFAULT_USER_AGENT = 'RefoulementWatch/0.1 (+https://github.com/refoulement-watch/refoulement-watch)';

/** Feeds first, HTML pages after, anything as a last resort. */
export const DEFAULT_ACCEPT =
  'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5';

/** Defaults for the required {@link FetchOptions} fields (spread, then override). */
export const DEFAULT_FETCH_OPTIONS: Readonly<
  Pick<FetchOptions, 'timeoutMs' | 'maxBytes' | 'maxRedirects' | 'userAgent' | 'allowPrivateNetworks'>
> = Object.freeze({
  timeoutMs: 15_000,
  // 5 MiB: the largest real feeds we watch are ~1 MB; MonitoRSS planned 7 MB.
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: DEFAULT_USER_AGENT,
  allowPrivateNetworks: false,
});
