import { describe, expect, it } from 'vitest';
import { compileClassifier, normalizeText, normalizeWithOffsets } from '../../../src/rules/index.js';
import type { RulePack } from '../../../src/rules/index.js';

describe('normalizeText: folds for unseen spellings', () => {
  it.each([
    ['Latin accents (precomposed)', 'Repatríe RAPATRIÉS Ñandú naïve', 'repatrie rapatries nandu naive'],
    ['Latin accents (combining)', 'repatri\u0301e', 'repatrie'],
    ['letters without a decomposition', 'Øst Łódź', 'ost lodz'],
    ['Cyrillic ё', 'Северокорейцы ЁЛКА', 'северокорейцы елка'],
    ['Arabic harakat and shadda', 'الإعادةُ القسريّة', 'الاعاده القسريه'],
    ['Arabic alef / alef maksura / ta marbuta', 'آمنة أحمد إلى', 'امنه احمد الي'],
    ['Arabic tatweel', 'الصـــين', 'الصين'],
    [
      'hyphen and slash between letters',
      'North-Korean escapees/defectors, China–North Korea',
      'north korean escapees defectors, china north korea',
    ],
    ['hyphen and slash between digits kept', '2019-20 24/7 -5', '2019-20 24/7 -5'],
    ['Hangul hyphen joins like a space', '강제-북송', '강제북송'],
    ['kana voicing kept', 'が', 'が'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('offsets still point into the original text', () => {
    const input = 'Nord-Coréens';
    const n = normalizeWithOffsets(input);
    expect(n.text).toBe('nord coreens');
    expect(input.slice(n.offsets[5] ?? 0, n.offsets[n.text.length])).toBe('Coréens');
  });
});

describe('matching with folded terms', () => {
  const pack: RulePack = {
    pack: 'fold-test',
    titleWeight: 1,
    thresholds: { alert: 5, review: 2 },
    rules: [
      {
        id: 'r',
        terms: [
          { t: 'repatri*', w: 5 },
          { t: 'северокорейцы', w: 5 },
          { t: 'الإعادة القسرية', w: 5 },
        ],
      },
    ],
  };
  const c = compileClassifier([pack]);
  it.each([
    ['que no repatríe a desertores'],
    ['ÉTAIENT RAPATRIÉS'.replace('RAPATRIÉS', 'REPATRIÉS')],
    ['Северокорейцы задержаны'],
    ['الإعادةُ القسريّة'],
  ])('%s', (title) => {
    const r = c.classify({ title, text: '' });
    expect(r.decision).toBe('alert');
    // The snippet is cut from the original, accents and all.
    expect(r.matches[0]?.snippet).toBe(title);
  });
});
