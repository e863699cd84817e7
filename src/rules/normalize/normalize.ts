import { CLS_SPACE, charClass, isCombining, isHangulSyllable, isLetterUnit } from './chars.js';
import { hanFoldTable } from './han.js';

/** Normalised text plus, for every UTF-16 unit of it, where it came from in the original. */
export interface NormalizedText {
  text: string;
  /**
   * `offsets[i]` is the index in the original text of the character that produced `text[i]`;
   * `offsets[text.length]` is the original length (so `[offsets[s], offsets[e])` spans a hit).
   */
  offsets: Int32Array;
}

/** Folds applied after NFKC and lower-casing (why: quotes/dashes vary by outlet and keyboard). */
const SPECIAL: ReadonlyMap<number, string> = new Map<number, string>([
  [0x0130, 'i'], // İ: toLowerCase gives i + combining dot, which would break "istanbul"
  [0x00df, 'ss'], // ß: full case folding
  [0x1e9e, 'ss'], // ẞ
  [0x03c2, 'σ'], // final sigma folds to sigma
  [0x2018, "'"],
  [0x2019, "'"],
  [0x201a, "'"],
  [0x201b, "'"],
  [0x2032, "'"],
  [0x02bc, "'"],
  [0x201c, '"'],
  [0x201d, '"'],
  [0x201e, '"'],
  [0x201f, '"'],
  [0x2033, '"'],
  [0x2010, '-'],
  [0x2011, '-'],
  [0x2012, '-'],
  [0x2013, '-'],
  [0x2014, '-'],
  [0x2015, '-'],
  [0x2212, '-'],
  [0x2043, '-'],
  [0xfe58, '-'],
  [0xfe63, '-'],
  [0xff0d, '-'],
  [0x2026, '...'],
  // Invisible joiners and soft hyphens vanish so "repatri\u00ADated" still matches.
  [0x00ad, ''],
  [0x200b, ''],
  [0x200c, ''],
  [0x200d, ''],
  [0x2060, ''],
  [0xfeff, ''],
]);

/**
 * Folds applied after lower-casing, so spellings that readers treat as the same word match:
 * outlets drop accents ("repatrie" for "repatríe"), Arabic vowel marks and alef/ya/ta marbuta
 * spellings vary by keyboard and house style, and Russian ё is usually written е.
 */
const POST = new Map<number, string>([
  [0x0451, 'е'], // ё → е
  [0x00f8, 'o'],
  [0x0111, 'd'],
  [0x0142, 'l'],
  [0x0131, 'i'],
  [0x0127, 'h'], // no decomposition
  [0x0622, 'ا'],
  [0x0623, 'ا'],
  [0x0625, 'ا'],
  [0x0671, 'ا'], // alef with madda/hamza/wasla
  [0x0649, 'ي'],
  [0x06cc, 'ي'],
  [0x0626, 'ي'], // alef maksura, Farsi ya, ya with hamza
  [0x0624, 'و'], // waw with hamza
  [0x0629, 'ه'], // ta marbuta
  [0x06a9, 'ك'], // keheh
  [0x0640, ''], // tatweel (kashida)
]);

/** Latin letters that may carry diacritics (Latin-1 Supplement to Latin Extended-B, Extended Additional). */
function isMarkedLatin(cp: number): boolean {
  return (cp >= 0x00c0 && cp <= 0x024f) || (cp >= 0x1e00 && cp <= 0x1eff);
}

/** Arabic harakat, shadda, sukun, superscript alef; combining diacritics (U+0300–036F). */
function isDroppedMark(cp: number): boolean {
  return (cp >= 0x064b && cp <= 0x065f) || cp === 0x0670 || (cp >= 0x0300 && cp <= 0x036f);
}

function postFold(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const mapped = POST.get(cp);
    if (mapped !== undefined) out += mapped;
    else if (isDroppedMark(cp)) continue;
    else if (isMarkedLatin(cp)) out += ch.normalize('NFD').replace(/\p{M}/gu, '');
    else out += ch;
  }
  return out;
}

/** One output unit, or (for expansions and deletions) a string kept aside. */
const singleFold = new Int32Array(65536).fill(-1);
const MULTI = -2;
const multiFold = new Map<number, string>();
const clusterCache = new Map<string, string>();
const CLUSTER_CACHE_MAX = 20_000;

function foldCodePoint(cp: number, han: Map<number, number>): string {
  const special = SPECIAL.get(cp);
  if (special !== undefined) return special;
  if (cp >= 0x0660 && cp <= 0x0669) return String.fromCharCode(0x30 + cp - 0x0660); // Arabic-Indic digits
  if (cp >= 0x06f0 && cp <= 0x06f9) return String.fromCharCode(0x30 + cp - 0x06f0); // Persian digits
  if (cp >= 0xd800 && cp <= 0xdfff) return '\ufffd'; // lone surrogate
  const simp = han.get(cp);
  if (simp !== undefined) return String.fromCodePoint(simp);
  const ch = String.fromCodePoint(cp);
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return ' ';
  if (charClass(cp > 0xffff ? 0xd800 : cp) === CLS_SPACE) return ' ';
  const lower = ch.toLowerCase();
  if (lower === ch) return postFold(ch);
  // Lower-casing may itself yield something foldable (e.g. a traditional character never does,
  // but Greek/Latin letters can decompose); one more NFKC keeps terms and text in step.
  return postFold(lower.normalize('NFKC'));
}

function foldString(s: string): string {
  const han = hanFoldTable();
  let out = '';
  for (const ch of s.normalize('NFKC')) out += foldCodePoint(ch.codePointAt(0) ?? 0xfffd, han);
  return out;
}

function foldSingle(code: number): number {
  let v = singleFold[code] ?? -1;
  if (v !== -1) return v;
  const folded = foldString(String.fromCharCode(code));
  if (folded.length === 1) {
    v = folded.charCodeAt(0);
  } else {
    v = MULTI;
    multiFold.set(code, folded);
  }
  singleFold[code] = v;
  return v;
}

function foldCluster(cluster: string): string {
  let v = clusterCache.get(cluster);
  if (v === undefined) {
    v = foldString(cluster);
    if (clusterCache.size >= CLUSTER_CACHE_MAX) clusterCache.clear();
    clusterCache.set(cluster, v);
  }
  return v;
}

/** Per code unit: combining (attaches to the previous unit), Hangul syllable, high surrogate. */
const F_COMBINING = 1;
const F_HANGUL = 2;
const F_HIGH = 4;
const FLAGS = new Uint8Array(65536);
for (let c = 0x300; c < 65536; c++) {
  FLAGS[c] = (isCombining(c) ? F_COMBINING : 0) | (isHangulSyllable(c) ? F_HANGUL : 0) | (c >= 0xd800 && c <= 0xdbff ? F_HIGH : 0);
}

/**
 * A hyphen or slash between two letters is a word break ("north-korean", "China-North Korea",
 * "escapees/defectors"), so terms need not list hyphenated spellings. Between digits
 * ("2019-20", "24/7") it is kept. `prev` is the last output unit, `next` the next input unit.
 */
function joinsLetters(prev: number, next: number): boolean {
  return isLetterUnit(prev) && isLetterUnit(next);
}

let outBuf = new Uint16Array(8192);
let offBuf = new Int32Array(8192);

/** Caller-owned storage for offsets, so a hot loop can avoid one allocation per text. */
export class OffsetScratch {
  buf = new Int32Array(1024);
}
const decoder = new TextDecoder('utf-16le');

function grow(min: number): void {
  let size = outBuf.length * 2;
  while (size < min) size *= 2;
  const o = new Uint16Array(size);
  o.set(outBuf);
  outBuf = o;
  const f = new Int32Array(size);
  f.set(offBuf);
  offBuf = f;
}

/**
 * Normalises text for matching and keeps a map back to the original (for snippets):
 * NFKC, case folding, curly quotes/dashes/ellipsis to ASCII, Arabic-Indic digits to ASCII,
 * whitespace collapsed (and trimmed), traditional Chinese folded to simplified (per character),
 * no space kept between two Hangul syllables (강제 북송 = 강제북송), Latin diacritics dropped
 * (é → e), Arabic harakat/tatweel dropped and alef/ya/ta marbuta unified, ё → е, and a hyphen
 * or slash between letters read as a space (north-korean = north korean).
 * With `scratch`, `offsets` is a view into it (valid until the scratch is reused).
 */
export function normalizeWithOffsets(input: string, scratch?: OffsetScratch): NormalizedText {
  const n = input.length;
  if (outBuf.length < n + 16) grow(n + 16);
  let out = outBuf;
  let off = offBuf;
  let o = 0;
  let pendingSpace = -1;
  let lastHangul = false;
  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    const following = i + 1 < n ? input.charCodeAt(i + 1) : 0;
    if (c < 0x80 && (following < 0x300 || ((FLAGS[following] ?? 0) & F_COMBINING) === 0)) {
      // ASCII fast path (no combining mark follows): no allocation, no table.
      if ((c === 0x2d || c === 0x2f) && o > 0 && pendingSpace < 0 && joinsLetters(out[o - 1] ?? 0, following)) {
        pendingSpace = i;
      } else if (c > 0x20 && c !== 0x7f) {
        if (o + 2 >= out.length) {
          grow(o + 64);
          out = outBuf;
          off = offBuf;
        }
        if (pendingSpace >= 0) {
          out[o] = 0x20;
          off[o++] = pendingSpace;
          pendingSpace = -1;
        }
        out[o] = c >= 65 && c <= 90 ? c + 32 : c;
        off[o++] = i;
        lastHangul = false;
      } else if (o > 0 && pendingSpace < 0) {
        pendingSpace = i;
      }
      i++;
      continue;
    }
    const nextFlags = FLAGS[following] ?? 0;
    if (((FLAGS[c] ?? 0) & F_HIGH) === 0 && (nextFlags & F_COMBINING) === 0) {
      // Common non-ASCII case: one code unit in, one out (Hangul, Han, accented Latin …).
      let u = singleFold[c] ?? -1;
      if (u === -1) u = foldSingle(c);
      if (u >= 0) {
        if (o + 2 >= out.length) {
          grow(o + 64);
          out = outBuf;
          off = offBuf;
        }
        if (u === 0x20 || ((u === 0x2d || u === 0x2f) && o > 0 && pendingSpace < 0 && joinsLetters(out[o - 1] ?? 0, following))) {
          if (o > 0 && pendingSpace < 0) pendingSpace = i;
        } else {
          const hangul = ((FLAGS[u] ?? 0) & F_HANGUL) !== 0;
          if (pendingSpace >= 0) {
            if (!(hangul && lastHangul)) {
              out[o] = 0x20;
              off[o++] = pendingSpace;
            }
            pendingSpace = -1;
          }
          out[o] = u;
          off[o++] = i;
          lastHangul = hangul;
        }
        i++;
        continue;
      }
    }
    let j = i + 1;
    if (c >= 0xd800 && c <= 0xdbff && j < n) {
      const d = input.charCodeAt(j);
      if (d >= 0xdc00 && d <= 0xdfff) j++;
    }
    while (j < n && isCombining(input.charCodeAt(j))) j++;
    let folded: string | undefined;
    let single = -1;
    if (j === i + 1) {
      single = foldSingle(c);
      if (single === MULTI) folded = multiFold.get(c) ?? '';
    } else {
      folded = foldCluster(input.slice(i, j));
    }
    const count = folded === undefined ? 1 : folded.length;
    if (o + count + 2 >= out.length) {
      grow(o + count + 64);
      out = outBuf;
      off = offBuf;
    }
    for (let k = 0; k < count; k++) {
      const u = folded === undefined ? single : folded.charCodeAt(k);
      if (u === 0x20) {
        if (o > 0 && pendingSpace < 0) pendingSpace = i;
        continue;
      }
      const hangul = isHangulSyllable(u);
      if (pendingSpace >= 0) {
        if (!(hangul && lastHangul)) {
          out[o] = 0x20;
          off[o++] = pendingSpace;
        }
        pendingSpace = -1;
      }
      out[o] = u;
      off[o++] = i;
      lastHangul = hangul;
    }
    i = j;
  }
  off[o] = n;
  const text = o === 0 ? '' : decoder.decode(new Uint8Array(out.buffer, 0, o * 2));
  if (!scratch) return { text, offsets: off.slice(0, o + 1) };
  if (scratch.buf.length < o + 1) scratch.buf = new Int32Array(Math.max(o + 1, scratch.buf.length * 2));
  scratch.buf.set(off.subarray(0, o + 1));
  // A view: valid until the scratch is used again.
  return { text, offsets: scratch.buf.subarray(0, o + 1) };
}

/** The normalised form of `text` used for matching (see {@link normalizeWithOffsets}). */
export function normalizeText(text: string): string {
  return normalizeWithOffsets(text).text;
}
