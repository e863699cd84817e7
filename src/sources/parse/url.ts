/**
 * URL canonicalisation: the same article reached through a tracker, an aggregator redirect or
 * a feed-only path must get one key, so stories dedupe across Google, Bing and the publisher.
 */

/** Query parameters that only say where a click came from; dropped on every host. */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'msclkid',
  'yclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  'ref',
  'ref_src',
  'cmpid',
  '_ga',
  '_gl',
  'ncid',
  'ocid',
  'sr_share',
  'spm',
]);

/** Extra parameters dropped only on Google hosts (`oc=5` on news.google.com links). */
const GOOGLE_TRACKING_PARAMS = new Set(['oc', 'ved', 'usg', 'ei', 'sa', 'hl_src']);

/** How many redirect wrappers are peeled at most (a wrapper inside a wrapper is rare; a loop is hostile). */
const MAX_UNWRAP = 3;

function isGoogleHost(host: string): boolean {
  return /(^|\.)google\.[a-z.]+$/.test(host);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function isHttp(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

/** Parses an absolute http(s) URL, or undefined. */
function parseHttp(text: string): URL | undefined {
  try {
    const url = new URL(text.trim());
    return isHttp(url) ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Returns the real article URL inside an aggregator redirect, or undefined when `url` is not
 * a known redirect form. Opaque forms (news.google.com/rss/articles/…) cannot be unwrapped offline.
 */
function unwrapRedirect(url: URL): URL | undefined {
  const host = url.hostname;
  const path = url.pathname.toLowerCase();
  let inner: string | null = null;
  if (/(^|\.)bing\.com$/.test(host) && path.endsWith('/apiclick.aspx')) {
    inner = url.searchParams.get('url');
  } else if (isGoogleHost(host) && (path === '/url' || path === '/news/url')) {
    inner = url.searchParams.get('url') ?? url.searchParams.get('q');
  } else if (/(^|\.)facebook\.com$/.test(host) && path === '/l.php') {
    inner = url.searchParams.get('u');
  }
  return inner === null ? undefined : parseHttp(inner);
}

/**
 * Canonical form of an article URL, used for identity and story dedupe:
 * lower-case host, no fragment, tracking parameters dropped (`utm_*`, `fbclid`, `gclid`,
 * `mc_cid`, `ref`, `cmpid`, Google `oc`…), remaining parameters sorted, aggregator redirects
 * (Bing `apiclick.aspx?url=`, Google `url?q=`/`url=`) unwrapped, and UN News
 * `feed/view/<lang>/…` links mapped to the public `/<lang>/…` page.
 * Strings that are not absolute http(s) URLs are returned trimmed and otherwise unchanged.
 */
export function canonicalizeUrl(url: string): string {
  let parsed = parseHttp(url);
  if (!parsed) return url.trim();
  for (let i = 0; i < MAX_UNWRAP; i++) {
    const inner = unwrapRedirect(parsed);
    if (!inner) break;
    parsed = inner;
  }
  parsed.hash = '';
  // UN News feed links go through a redirecting "feed/view" path; the story page is the same id.
  if (parsed.hostname === 'news.un.org') {
    const m = /^\/feed\/view\/([a-z]{2}(?:-[a-z]{2,4})?)\/(.+)$/i.exec(parsed.pathname);
    if (m) parsed.pathname = `/${m[1] ?? ''}/${m[2] ?? ''}`;
  }
  const google = isGoogleHost(parsed.hostname);
  // Raw "k=v" segments are kept as written: re-encoding them (a/b → a%2Fb) would change
  // the key for URLs that other feeds publish unencoded.
  const kept: { key: string; raw: string }[] = [];
  for (const raw of parsed.search.slice(1).split('&')) {
    if (raw === '') continue;
    const key = safeDecode(raw.split('=', 1)[0] ?? '').toLowerCase();
    if (key.startsWith('utm_') || TRACKING_PARAMS.has(key)) continue;
    if (google && GOOGLE_TRACKING_PARAMS.has(key)) continue;
    kept.push({ key, raw });
  }
  // Stable sort by key keeps the order of repeated keys, which some sites give meaning to.
  kept.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  parsed.search = kept.length === 0 ? '' : `?${kept.map((k) => k.raw).join('&')}`;
  return parsed.toString();
}

/**
 * Resolves `link` against `base` and returns it only when it is an http(s) URL:
 * `javascript:`, `data:` and other schemes from untrusted feeds are never passed on.
 */
export function resolveHttpUrl(link: string, base?: string): string | undefined {
  const text = link.trim();
  if (text === '') return undefined;
  try {
    const url = base === undefined ? new URL(text) : new URL(text, base);
    return isHttp(url) ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}
