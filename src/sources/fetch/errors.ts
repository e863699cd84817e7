import { BlockedAddressError, isLinkLocalAddress, type BlockedAddress } from './address.js';
import type { FetchError, FetchErrorCode } from './types.js';

/** Builds an error result; `url` is where it happened, `origin` the URL asked for. */
export function fetchError(
  code: FetchErrorCode,
  url: string,
  origin: string,
  what: string,
  extra: { status?: number; retryAfterMs?: number } = {},
): FetchError {
  const via = url === origin ? '' : ` (redirected from ${origin})`;
  return { kind: 'error', code, url, message: `${url}${via}: ${what}`, ...extra };
}

/** Message for a refused destination, with the setting that would allow it. */
export function blockedMessage(blocked: BlockedAddress): string {
  if (isLinkLocalAddress(blocked.address)) {
    return (
      `blocked: ${blocked.host} resolves to ${blocked.address}, a link-local address (cloud metadata lives there); ` +
      'these are always refused — list the exact address in fetch.allowAddresses if a feed really is there'
    );
  }
  return (
    `blocked: ${blocked.host} resolves to ${blocked.address}, a private or reserved address; ` +
    'set fetch.allowPrivateNetworks: true if this source is on your intranet'
  );
}

/** What an operator should read for an HTTP error status. */
export function statusMessage(status: number, retryAfterMs: number | undefined): string {
  const base = `answered HTTP ${status}`;
  if (status === 429 || status === 503) {
    const wait = retryAfterMs === undefined ? 'no Retry-After given' : `Retry-After ${Math.ceil(retryAfterMs / 1000)} s`;
    return `${base} (${status === 429 ? 'rate limited' : 'unavailable'}, ${wait}); will retry later — poll this source less often if it persists`;
  }
  if (status === 404 || status === 410) return `${base}; the feed may have moved or been removed — check the URL and update the source`;
  if (status === 401 || status === 403)
    return `${base}; the site refuses us (login or bot blocking) — check the URL or ask the site to allow the bot`;
  if (status >= 500) return `${base} (server error); will retry later`;
  if (status >= 300 && status < 400) return `${base} (a redirect we cannot follow); check the URL`;
  return `${base}; check the URL and the source configuration`;
}

/** Error codes found on the error or its `cause` chain. */
function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/**
 * The refused destination behind a connect failure, if the guarded lookup refused it.
 * undici may hand the lookup's error back as is or wrapped (`cause`, or the `errors`
 * of an AggregateError when several addresses were tried), so both are searched.
 */
export function findBlockedAddress(err: unknown): BlockedAddress | undefined {
  const queue: unknown[] = [err];
  const seen = new Set<unknown>();
  while (queue.length > 0 && seen.size < 16) {
    const current = queue.shift();
    if (!(current instanceof Error) || seen.has(current)) continue;
    seen.add(current);
    if (current instanceof BlockedAddressError) return current.blocked;
    queue.push(current.cause);
    if (current instanceof AggregateError) queue.push(...(current.errors as unknown[]));
  }
  return undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Maps a thrown network/stream error to a code and an operator-facing explanation. */
export function describeNetworkError(err: unknown): { code: FetchErrorCode; what: string } {
  const codes = errorCodes(err);
  const has = (...names: string[]): boolean => codes.some((c) => names.includes(c));
  if (has('UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')) {
    return { code: 'timeout', what: 'timed out; the site is slow or unreachable — will retry later' };
  }
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL')) {
    return { code: 'network', what: 'DNS lookup failed; check the hostname in the URL (will retry in case DNS is down)' };
  }
  if (has('ECONNREFUSED')) return { code: 'network', what: 'connection refused; the site is down or the port is wrong — will retry later' };
  if (has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE')) {
    return { code: 'network', what: 'connection closed before the response was complete; will retry later' };
  }
  if (codes.some((c) => c.startsWith('Z_') || c.startsWith('ERR__ERROR_') /* brotli */)) {
    return {
      code: 'network',
      what: `compressed body is corrupt (${errorText(err)}); the server sent a bad Content-Encoding — will retry later`,
    };
  }
  if (codes.some((c) => c.startsWith('CERT_') || c.startsWith('ERR_TLS') || c.includes('SELF_SIGNED') || c.startsWith('UNABLE_TO'))) {
    return {
      code: 'network',
      what: `TLS certificate problem (${codes[0] ?? 'unknown'}); the site's HTTPS setup is broken — check it in a browser`,
    };
  }
  if (has('UND_ERR_INVALID_ARG', 'ERR_INVALID_URL', 'ERR_INVALID_CHAR')) {
    return { code: 'bad-url', what: `cannot be requested (${errorText(err)}); check the URL` };
  }
  return { code: 'network', what: `network error (${codes[0] ?? errorText(err)}); will retry later` };
}
