import type { NormalizedText } from './normalize/normalize.js';

/** Characters of context kept on each side of a hit. */
export const SNIPPET_RADIUS = 60;

/** Original-text range [start, end) of the normalised range [s, e). */
export function originalRange(norm: NormalizedText, original: string, s: number, e: number): [number, number] {
  const offsets = norm.offsets;
  const start = offsets[s] ?? 0;
  // The end is where the next *different* source character begins (expansions like ß → ss
  // share one source offset).
  const lastSrc = offsets[Math.max(s, e - 1)] ?? start;
  let k = e;
  while (k < norm.text.length && offsets[k] === lastSrc) k++;
  const end = k < norm.text.length ? (offsets[k] ?? original.length) : original.length;
  return [start, Math.max(start, end)];
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * About {@link SNIPPET_RADIUS} characters of the ORIGINAL text either side of a hit,
 * whitespace collapsed, cut at a space when one is near, "…" where text was cut.
 */
export function snippetAt(original: string, start: number, end: number, radius = SNIPPET_RADIUS): string {
  let a = Math.max(0, start - radius);
  let b = Math.min(original.length, end + radius);
  if (a > 0) {
    const space = original.indexOf(' ', a);
    if (space >= 0 && space < start && space - a < 15) a = space + 1;
    if (isLowSurrogate(original.charCodeAt(a))) a++;
  }
  if (b < original.length) {
    const space = original.lastIndexOf(' ', b);
    if (space > end && b - space < 15) b = space;
    if (isLowSurrogate(original.charCodeAt(b))) b++;
  }
  const body = original.slice(a, b).replace(/\s+/g, ' ').trim();
  return `${a > 0 ? '…' : ''}${body}${b < original.length ? '…' : ''}`;
}
