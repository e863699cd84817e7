/**
 * Text helpers shared by the formatters: control-character stripping and
 * length limits counted in UTF-16 code units (what JS `length` and the platforms' validators see),
 * cut only at grapheme boundaries so emoji, surrogate pairs and combining sequences stay whole.
 */

const ELLIPSIS = '…';

// ANSI escape sequences (CSI and OSC) first, so their parameters do not survive as visible text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;
// C0 except tab/newline, DEL, C1, and bidi overrides/isolates (they can disguise text: "Trojan Source").
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Makes untrusted text safe to display: drops terminal/control/bidi characters,
 * replaces lone surrogates (which some JSON validators reject) with U+FFFD,
 * and, unless `multiline`, folds newlines and tabs into single spaces.
 */
export function cleanText(text: string, options: { multiline?: boolean } = {}): string {
  let out = text.replace(ANSI_SEQUENCE, '').replace(CONTROL, '').replace(LONE_SURROGATE, '\uFFFD');
  out = options.multiline ? out.replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n') : out.replace(/\s+/g, ' ');
  return out.trim();
}

/**
 * Applies `transform` (an escaper) grapheme by grapheme and stops before `max` UTF-16 units,
 * ending with "…" when something was cut. Never splits a grapheme or an escape sequence.
 */
export function fitText(text: string, max: number, transform: (grapheme: string) => string = (g) => g): string {
  if (max <= 0) return '';
  // Escaping only ever lengthens text, so input past max + slack can never be shown.
  const window = text.length > max + 64 ? text.slice(0, max + 64) : text;
  const pieces: string[] = [];
  for (const { segment } of segmenter.segment(window)) pieces.push(transform(segment));
  const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
  if (window.length === text.length && total <= max) return pieces.join('');
  const budget = max - ELLIPSIS.length;
  const kept: string[] = [];
  let used = 0;
  for (const piece of pieces) {
    if (used + piece.length > budget) break;
    kept.push(piece);
    used += piece.length;
  }
  return `${kept.join('').trimEnd()}${ELLIPSIS}`;
}

/** Total UTF-16 length of some strings (undefined counts 0). */
export function unitLength(...texts: ReadonlyArray<string | undefined>): number {
  return texts.reduce((sum, text) => sum + (text?.length ?? 0), 0);
}

/** Returns the URL if it is an absolute http(s) URL of sane length, else undefined (platforms reject the rest). */
export function safeHttpUrl(url: string | undefined, maxLength = 2048): string | undefined {
  if (!url || url.length > maxLength) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** Formats an ISO date as "2026-08-01 14:05 UTC"; passes through text that is not a date. */
export function formatDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
