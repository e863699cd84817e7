import ipaddr from 'ipaddr.js';
import { request, type Agent, type Dispatcher } from 'undici';
import { checkHost, systemLookup, type AddressPolicy } from './address.js';
import { fetchAgent } from './agents.js';
import { parseContentEncoding, readBodyCapped, type BodyRead } from './body.js';
import { decodeBody } from './charset.js';
import { blockedMessage, describeNetworkError, fetchError, findBlockedAddress, statusMessage } from './errors.js';
import { isFetchableProtocol, isRedirectStatus, parseRetryAfter, resolveRedirect } from './http-rules.js';
import { DEFAULT_ACCEPT, type FetchOptions, type FetchResult } from './types.js';

type Headers = Dispatcher.ResponseData['headers'];

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Drops a body we will not read; undici reports the destroy as an error, which we expect. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

/**
 * Reads off a small body we do not need (redirect, 304, error page) so its keep-alive
 * socket can serve the next request; past the limit undici closes the socket instead.
 */
function release(body: Dispatcher.ResponseData['body']): void {
  body.dump({ limit: 64 * 1024 }).catch(() => {});
}

/** Per-call state the failure classifier needs. */
interface CallState {
  timedOut: boolean;
}

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts. undici only acts on an
 * abort once a request has a socket, so a request still connecting or queued for a
 * socket would otherwise outlive the call's budget; undici drops it when it gets one.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err as Error);
      },
    );
  });
}

/** Returns the first invalid `allowAddresses` entry, if any. */
function invalidAllowEntry(entries: readonly string[] | undefined): string | undefined {
  return entries?.find((e) => !(e.includes('/') ? ipaddr.isValidCIDR(e) : ipaddr.isValid(e)));
}

function requestHeaders(options: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: options.accept ?? DEFAULT_ACCEPT,
    // Only codings readBodyCapped can undo while counting decoded bytes.
    'accept-encoding': 'gzip, deflate, br',
  };
  if (options.etag !== undefined) headers['if-none-match'] = options.etag;
  if (options.lastModified !== undefined) headers['if-modified-since'] = options.lastModified;
  return headers;
}

/**
 * Fetches `url` with a total timeout, a decoded-size cap, manual redirects (each hop
 * re-checked), conditional GET, charset decoding and a private-network guard that
 * checks the address actually dialled. Never throws for expected failures: every
 * outcome is a {@link FetchResult}.
 */
export async function fetchUrl(url: string, options: FetchOptions): Promise<FetchResult> {
  let start: URL;
  try {
    start = new URL(url);
  } catch {
    return fetchError('bad-url', url, url, 'is not a valid URL; fix the source URL (it must start with http:// or https://)');
  }
  if (!isFetchableProtocol(start.protocol)) {
    return fetchError('bad-url', url, url, `uses ${start.protocol}; only http:// and https:// sources can be fetched`);
  }
  start.hash = '';
  const badEntry = invalidAllowEntry(options.allowAddresses);
  if (badEntry !== undefined) {
    return fetchError(
      'bad-url',
      url,
      url,
      `fetch.allowAddresses entry "${badEntry}" is not an IP address or CIDR range; fix the configuration`,
    );
  }
  if (options.signal?.aborted) return fetchError('network', url, url, 'fetch cancelled before it started (shutting down)');

  const state: CallState = { timedOut: false };
  const policy: AddressPolicy = {
    allowPrivateNetworks: options.allowPrivateNetworks,
    allowAddresses: options.allowAddresses,
  };
  const timeout = new AbortController();
  const timer = setTimeout(() => {
    state.timedOut = true;
    timeout.abort();
  }, options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout.signal, options.signal]) : timeout.signal;
  // Shared keep-alive agent for this policy; on abort (timeout, shutdown) undici
  // destroys the socket of the aborted request, so a stalled server keeps no slot.
  const agent = fetchAgent(policy, options.lookup ?? systemLookup);

  try {
    return await followHops(start, options, policy, state, agent, signal);
  } finally {
    clearTimeout(timer);
  }
}

async function followHops(
  start: URL,
  options: FetchOptions,
  policy: AddressPolicy,
  state: CallState,
  agent: Agent,
  signal: AbortSignal,
): Promise<FetchResult> {
  const origin = start.href;
  const visited = new Set<string>([origin]);
  const headers = requestHeaders(options);
  let current = start;

  for (let hops = 0; ; hops++) {
    const literal = checkHost(current, policy);
    if (literal) return fetchError('blocked', current.href, origin, blockedMessage(literal));

    let response: Dispatcher.ResponseData;
    try {
      response = await untilAborted(
        request(current, {
          method: 'GET',
          headers,
          signal,
          dispatcher: agent,
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
        }),
        signal,
      );
    } catch (err) {
      return failure(err, current.href, origin, options, state);
    }
    const { statusCode: status, headers: resHeaders, body } = response;

    if (isRedirectStatus(status)) {
      release(body);
      const decision = resolveRedirect(current, header(resHeaders, 'location'), visited, hops, options.maxRedirects);
      if (decision.kind === 'refuse') {
        return fetchError(decision.code, current.href, origin, `${decision.reason}; check the source URL`, { status });
      }
      visited.add(decision.url.href);
      current = decision.url;
      continue;
    }

    const etag = header(resHeaders, 'etag');
    const lastModified = header(resHeaders, 'last-modified');
    const validators = {
      ...(etag !== undefined ? { etag } : {}),
      ...(lastModified !== undefined ? { lastModified } : {}),
    };
    if (status === 304) {
      release(body);
      // A 304 may omit validators; the ones we sent are still current then.
      const kept = { etag: etag ?? options.etag, lastModified: lastModified ?? options.lastModified };
      return {
        kind: 'not-modified',
        url: current.href,
        ...(kept.etag !== undefined ? { etag: kept.etag } : {}),
        ...(kept.lastModified !== undefined ? { lastModified: kept.lastModified } : {}),
      };
    }
    if (status < 200 || status > 299) {
      release(body);
      const retryAfterMs =
        status === 429 || status === 503 ? parseRetryAfter(header(resHeaders, 'retry-after'), (options.now ?? Date.now)()) : undefined;
      return fetchError('http-status', current.href, origin, statusMessage(status, retryAfterMs), {
        status,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }

    const tooLarge = (size: string): FetchResult =>
      fetchError(
        'too-large',
        current.href,
        origin,
        `body is larger than ${options.maxBytes} bytes (${size}); stopped reading — raise fetch.maxBytes if this feed is legitimately that big`,
      );
    const encodings = parseContentEncoding(header(resHeaders, 'content-encoding'));
    const declared = Number(header(resHeaders, 'content-length'));
    // Without a coding, Content-Length is the decoded size: refuse before reading.
    if (encodings.length === 0 && Number.isFinite(declared) && declared > options.maxBytes) {
      discard(body);
      return tooLarge(`Content-Length ${declared}`);
    }
    let read: BodyRead;
    try {
      read = await readBodyCapped(body, encodings, options.maxBytes);
    } catch (err) {
      return failure(err, current.href, origin, options, state);
    }
    if (read.kind === 'too-large') return tooLarge(`over ${read.bytes} bytes after decoding`);
    if (read.kind === 'unsupported-encoding') {
      return fetchError(
        'network',
        current.href,
        origin,
        `sent Content-Encoding "${read.encoding}", which we did not ask for and cannot decode; report it to the site`,
        { status },
      );
    }
    const contentType = header(resHeaders, 'content-type');
    const { text, charset } = decodeBody(read.bytes, contentType);
    return {
      kind: 'ok',
      status,
      url: current.href,
      text,
      charset,
      ...(contentType !== undefined ? { contentType } : {}),
      ...validators,
      bytes: read.bytes.byteLength,
    };
  }
}

/** Classifies a thrown error, preferring what we know from our own state. */
function failure(err: unknown, url: string, origin: string, options: FetchOptions, state: CallState): FetchResult {
  const blocked = findBlockedAddress(err);
  if (blocked) return fetchError('blocked', url, origin, blockedMessage(blocked));
  if (state.timedOut) {
    return fetchError(
      'timeout',
      url,
      origin,
      `no complete response within ${options.timeoutMs} ms (slow or stalling server); will retry — raise fetch.timeoutMs if the site is always this slow`,
    );
  }
  if (options.signal?.aborted)
    return fetchError('network', url, origin, 'fetch cancelled (shutting down); will run again on the next poll');
  const { code, what } = describeNetworkError(err);
  return fetchError(code, url, origin, what);
}
