/**
 * Secret masking for log lines and error messages.
 *
 * pino's `redact` only matches key paths (RELIABILITY #29), so secrets inside strings
 * (a webhook URL in `err.message`, a password in a Redis URL in a stack trace) need
 * pattern masking as well. These patterns are applied to every string we log.
 */

/** What replaces a masked secret. */
export const MASK = '***';

// Each rule keeps the non-secret prefix (so operators still see *which* webhook or host)
// and replaces only the secret part.
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // Discord webhooks and interaction callbacks: /webhooks/<id>/<token>, /interactions/<id>/<token>
  [/(\/(?:webhooks|interactions)\/\d+\/)[^/?#\s"'<>]+/g, `$1${MASK}`],
  // Slack incoming webhooks: /services/T…/B…/<secret>
  [/(\/services\/[A-Z0-9]+\/[A-Z0-9]+\/)[A-Za-z0-9]+/g, `$1${MASK}`],
  // Slack tokens: xoxb-, xoxp-, xoxa-, xoxe-… and app-level xapp-
  [/\b(xox[a-z]|xapp)-[A-Za-z0-9-]+/g, `$1-${MASK}`],
  // Credentials in URLs: redis://user:pass@host, rediss://:pass@host, https://u:p@h
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${MASK}@`],
  // Authorization header values written into text.
  [/\b(Bot|Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${MASK}`],
  // Discord bot tokens: base64(user id) . timestamp . hmac
  [/\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,7}\.[A-Za-z0-9_-]{25,}\b/g, MASK],
];

/** Replaces known secret shapes in `text` with `***`. Pure and idempotent. */
export function maskSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Returns a copy of `value` with every string masked by {@link maskSecrets}.
 * Depth-limited and cycle-safe, because log objects can be anything.
 */
export function maskDeep(value: unknown, depth = 6, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return maskSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth <= 0) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((entry) => maskDeep(entry, depth - 1, seen));
  if (Buffer.isBuffer(value) || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) out[key] = maskDeep(entry, depth - 1, seen);
  return out;
}
