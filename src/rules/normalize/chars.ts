/**
 * Character classes of *normalised* text, per UTF-16 code unit, in one lazily filled table.
 * The matcher and the entity extractors ask "is this a word character of a spaced script?"
 * once per hit; a table lookup keeps that out of the regex engine.
 */

/** Punctuation, symbols, anything that separates words. */
export const CLS_OTHER = 1;
/** Whitespace (after normalisation only U+0020 remains). */
export const CLS_SPACE = 2;
/** Letter/digit/mark of a spaced script (Latin, Cyrillic, Greek, Arabic, Hebrew, digits …). */
export const CLS_WORD = 3;
/** Han, Hangul, kana and other scripts written without spaces: matched as substrings. */
export const CLS_CJK = 4;

const table = new Uint8Array(65536);

const WORDISH = /[\p{L}\p{N}\p{M}]/u;
const SPACE = /\s/u;
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}\u3005\u30fc]/u;

function compute(code: number): number {
  // Surrogates: astral characters are mostly CJK extensions and emoji; never word-bounded.
  if (code >= 0xd800 && code <= 0xdfff) return CLS_CJK;
  const ch = String.fromCharCode(code);
  if (SPACE.test(ch)) return CLS_SPACE;
  if (UNSPACED.test(ch)) return CLS_CJK;
  if (WORDISH.test(ch)) return CLS_WORD;
  return CLS_OTHER;
}

/** Class of one UTF-16 code unit (CLS_*). */
export function charClass(code: number): number {
  let c = table[code] ?? 0;
  if (c === 0) {
    c = compute(code);
    table[code] = c;
  }
  return c;
}

const letterTable = new Uint8Array(65536);
const LETTER = /\p{L}/u;

/**
 * True for a letter (any script). Used to tell "north-korean" (hyphen between letters: a word
 * break) from "2019-20" or "-5" (kept as is). Surrogates count as letters (astral CJK).
 */
export function isLetterUnit(code: number): boolean {
  let v = letterTable[code] ?? 0;
  if (v === 0) {
    v = (code >= 0xd800 && code <= 0xdfff) || LETTER.test(String.fromCharCode(code)) ? 2 : 1;
    letterTable[code] = v;
  }
  return v === 2;
}

/** True for a precomposed Hangul syllable (가–힣). */
export function isHangulSyllable(code: number): boolean {
  return code >= 0xac00 && code <= 0xd7a3;
}

/**
 * Code units that attach to the previous character and must be normalised together with it
 * (combining marks, conjoining Hangul vowels/finals, kana voicing marks, half-width voicing marks).
 */
export function isCombining(code: number): boolean {
  if (code < 0x300) return false;
  return (
    (code >= 0x300 && code <= 0x36f) ||
    (code >= 0x1ab0 && code <= 0x1aff) ||
    (code >= 0x1dc0 && code <= 0x1dff) ||
    (code >= 0x20d0 && code <= 0x20ff) ||
    (code >= 0xfe20 && code <= 0xfe2f) ||
    (code >= 0x1160 && code <= 0x11ff) ||
    code === 0x3099 ||
    code === 0x309a ||
    code === 0xff9e ||
    code === 0xff9f ||
    (code >= 0xfe00 && code <= 0xfe0f)
  );
}
