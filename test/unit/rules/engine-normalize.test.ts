import { describe, expect, it } from 'vitest';
import { normalizeText, normalizeWithOffsets } from '../../../src/rules/index.js';

describe('normalizeText', () => {
  it.each([
    ['NFKC full-width', 'Ｆｕｌｌ１２３', 'full123'],
    ['NFKC half-width katakana with voicing mark', 'ｶﾞｲﾄﾞ', 'ガイド'],
    ['case folding', 'North KOREA', 'north korea'],
    ['ß folds to ss', 'Straße', 'strasse'],
    ['dotted capital I', 'İSTANBUL', 'istanbul'],
    ['final sigma', 'ΟΔΟΣ', 'οδοσ'],
    ['curly quotes', '“Sent back” ‘home’', '"sent back" \'home\''],
    ['dashes between letters read as spaces; spaced dashes kept', 'pre–war — post‑war 2019–20', 'pre war - post war 2019-20'],
    ['ellipsis', 'wait…', 'wait...'],
    ['whitespace collapsed and trimmed', '  a \t\n b\u00a0c\u3000d  ', 'a b c d'],
    ['soft hyphen and zero-width space vanish', 'repatri\u00adated\u200b', 'repatriated'],
    ['combining accents fold like precomposed ones', 'cafe\u0301 café', 'cafe cafe'],
    ['traditional → simplified', '強制遣返脫北者', '强制遣返脱北者'],
    ['Taiwan variant → simplified', '爲', '为'],
    ['Hangul spacing ignored', '강제 북송', '강제북송'],
    ['space kept between Hangul and digits', '탈북민 600 명', '탈북민 600 명'],
    ['space kept between Hangul and Latin', '탈북 defector', '탈북 defector'],
    ['Arabic-Indic digits', '٦٠٠', '600'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('maps every normalised character back to the original', () => {
    const original = '  Forcibly “Repatriated”  강제 북송 Straße';
    const { text, offsets } = normalizeWithOffsets(original);
    expect(offsets.length).toBe(text.length + 1);
    expect(offsets[text.length]).toBe(original.length);
    const at = text.indexOf('repatriated');
    expect(original.slice(offsets[at], offsets[at + 'repatriated'.length])).toBe('Repatriated');
    const ko = text.indexOf('북송');
    expect(original[offsets[ko] ?? -1]).toBe('북');
    const ss = text.indexOf('ss');
    expect(original[offsets[ss] ?? -1]).toBe('ß');
  });

  it('is idempotent', () => {
    const samples = ['Ｆｕｌｌ “Quotes” 強制 遣返 강제 북송 Straße', 'ΟΔΟΣ İ …'];
    for (const s of samples) expect(normalizeText(normalizeText(s))).toBe(normalizeText(s));
  });
});
