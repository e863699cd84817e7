import type { FetchConfig } from '../../config/types.js';
import type { FetchOptions } from './types.js';

/** Fetch options from the config's `fetch` section (per-call validators are added by the caller). */
export function fetchOptionsFor(fetch: FetchConfig): FetchOptions {
  const { timeoutMs, maxBytes, maxRedirects, userAgent, allowPrivateNetworks, allowAddresses } = fetch;
  return { timeoutMs, maxBytes, maxRedirects, userAgent, allowPrivateNetworks, ...(allowAddresses ? { allowAddresses } : {}) };
}
