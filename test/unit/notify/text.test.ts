import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, fitText } from '../../../src/notify/index.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('fitText', () => {
  it('returns short text unchanged', () => {
    expect(fitText('hello', 10)).toBe('hello');
  });

  it('cuts long text to the limit with an ellipsis', () => {
    const out = fitText('a'.repeat(10_000), 256);
    expect(out.length).toBe(256);
    expect(out.endsWith('…')).toBe(true);
  });

  it('never splits a surrogate pair, ZWJ emoji or combining sequence', () => {
    const family = '👩‍👩‍👧‍👦'; // 11 UTF-16 units, one grapheme
    const accented = 'e\u0301\u0323'; // e + two combining marks
    const out = fitText(`${'x'.repeat(5)}${family}${accented}${'y'.repeat(20)}`, 10);
    expect(out).toBe('xxxxx…');
    const out2 = fitText(`${accented.repeat(10)}`, 8);
    expect(out2).toBe(`${accented.repeat(2)}…`);
  });

  it('counts the escaped length and never cuts an escape in half', () => {
    const out = fitText('*'.repeat(100), 11, (g) => `\\${g}`);
    expect(out).toBe(`${'\\*'.repeat(5)}…`);
  });

  it('stays within the limit and well-formed for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.integer({ min: 1, max: 120 }), (text, max) => {
        const out = fitText(text, max, (g) => (g === '*' ? '\\*' : g));
        expect(out.length).toBeLessThanOrEqual(max);
        expect(LONE_SURROGATE.test(out)).toBe(false);
      }),
    );
  });
});

describe('cleanText', () => {
  it('strips ANSI escapes, control and bidi characters and folds newlines', () => {
    expect(cleanText('\u001b[31mRED\u001b[0m\u0007 a\r\nb\u202e\u0000c')).toBe('RED a bc');
  });

  it('keeps newlines when multiline', () => {
    expect(cleanText('a\r\nb\n\n\n\nc', { multiline: true })).toBe('a\nb\n\nc');
  });

  it('replaces lone surrogates', () => {
    expect(cleanText('a\ud800b')).toBe('a\ufffdb');
  });
});
