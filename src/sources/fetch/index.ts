// Public surface of HTTP fetching for feeds and pages: fetchUrl and the pure pieces
// other folders and tests rely on (address check, charset decoding, robots.txt).
export { fetchUrl } from './fetch.js';
export {
  DEFAULT_ACCEPT,
  DEFAULT_FETCH_OPTIONS,
  DEFAULT_USER_AGENT,
  type FetchError,
  type FetchErrorCode,
  type FetchOptions,
  type FetchResult,
  type LookupFunction,
} from './types.js';
export { checkUrlAddress, isPublicAddress, type BlockedAddress } from './address.js';
export { decodeBody, resolveCharset } from './charset.js';
export { parseRetryAfter } from './http-rules.js';
export { clearRobotsCache, isAllowedByRobots, type CachedRobots, type RobotsFetcher, type RobotsOptions } from './robots.js';
export { closeFetchAgents } from './agents.js';
export { fetchOptionsFor } from './options.js';
