import { describe, expect, it } from 'vitest';
import { classifyAll, defaultClassifier, evaluateSet, explain, readFixture } from './fixture-sets.js';

/**
 * test/fixtures/blind.jsonl: 120 feed items (61 positive, 59 look-alike negatives) written
 * *before* reading the pack or the other fixtures, in the house styles of UN News, OHCHR, HRW,
 * Amnesty, Yonhap, Daily NK, NK News, RFA/VOA, NHK/共同, RFA 中文, Google News and others, in
 * en/ko/ja/zh/fr/es/ru/ar/de.
 *
 * Measured BEFORE any pack change (pack v1):
 *   flagged recall 0.885 (54/61), alert precision 1.000 (no false alerts; 2 negatives at review).
 *   Misses, with the reason:
 *   - bl-pos-08 "Women repatriated from China sentenced to Jongori…": no North Korea word (only
 *     "North Hamgyong", "Ministry of State Security"), and bare "women" was not a people word.
 *   - bl-pos-09 "Border holding centers told to make room for returnees…": NK named only by its
 *     towns (Sinuiju, Hyesan) and the Ministry of State Security.
 *   - bl-pos-11 "…facing return to North Korea from Chinese jails": "from Chinese jails" was not
 *     a "people who are held" word.
 *   - bl-pos-22 "Laos Nine": "flown back to Pyongyang" was not a return phrase.
 *   - bl-pos-26 "defectors rally at Chinese embassy … against repatriation": no North Korea word
 *     at all, which every return rule required.
 *   - bl-pos-27 "repatriated women at Onsong holding center": no NK word (Onsong), no people word.
 *   - bl-pos-46 (ja) "亡命求めた北朝鮮労働者を送還": 亡命 (asylum) + 北朝鮮の労働者 passed no gate.
 *   Reviews of negatives: bl-neg-20 (fishermen sent back at their own request, 6) and bl-neg-27
 *   (China deports a South Korean missionary, 5).
 *
 * AFTER the general fixes (pack v2: NK provinces/towns/security police as North Korea words,
 * held/jailed people words, "repatriated women", "flown back" / "back to Pyongyang", a capped
 * `defectors-en` rule for copy with no North Korea word, an `asylum-cjk` rule, CJK place names
 * for `held-in-china`, German in `context`, traps for South Koreans deported and foreign
 * fishermen): recall 1.000, alert precision 1.000, one negative at review (bl-neg-20).
 * Labelled and held-out sets stay at 1.000 / 1.000.
 *
 * Caveat: the fixes were made after reading these misses, so this set is no longer blind; the
 * next check on unseen wording needs a fresh batch written before looking at the pack again.
 */
const items = readFixture('blind');

const nk = defaultClassifier();
const results = classifyAll(nk, items);

describe('blind set', () => {
  it('is big and varied enough to mean something', () => {
    expect(items.length).toBe(120);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(items.filter((i) => i.label).length).toBeGreaterThanOrEqual(55);
    expect(items.filter((i) => i.kind.startsWith('trap-')).length).toBeGreaterThanOrEqual(55);
    const langs = new Set(items.filter((i) => i.label).map((i) => i.lang));
    for (const lang of ['en', 'ko', 'zh', 'ja', 'fr', 'es', 'ru', 'ar', 'de']) expect(langs).toContain(lang);
  });

  it('default pack: flagged recall ≥ 0.97 and alert precision ≥ 0.95', () => {
    const rep = evaluateSet('blind', results);
    expect(rep.missing).toEqual([]);
    expect(rep.recall).toBeGreaterThanOrEqual(0.97);
    expect(rep.alertPrecision).toBeGreaterThanOrEqual(0.95);
  });

  it('each look-alike family stays below alert', () => {
    const alerted = results
      .filter(({ item, r }) => item.kind.startsWith('trap-') && r.decision === 'alert')
      .map(({ item, r }) => explain(item, r));
    expect(alerted).toEqual([]);
  });
});

describe('pack v2 rules, on items that are not in any fixture', () => {
  const decide = (title: string, text = ''): string => nk.classify({ title, text }).decision;

  it('defectors named without "North Korea" reach review, and alert only with more evidence', () => {
    expect(decide('Defectors protest outside Chinese consulate over repatriation')).toBe('review');
    expect(decide('Defectors arrested in Shenyang to be sent back, activists say')).toBe('alert');
    // A South Korean deported by China is not a refoulement of escapees.
    expect(decide('China deports South Korean pastor who sheltered defectors')).toBe('ignore');
  });

  it('asylum seekers sent back alert only when asylum is named next to North Korea', () => {
    expect(decide('러시아서 망명 요청한 북한 노동자 북송')).toBe('alert');
    expect(decide('ロシア、亡命を求めた北朝鮮兵士を送還')).toBe('alert');
    expect(decide('中国人の亡命希望者を強制送還', '同じ日に北朝鮮がミサイルを発射した。')).not.toBe('alert');
  });

  it('North Korea named by its provinces or police still opens the return gate', () => {
    expect(
      decide('Women sent back from China held in Hyesan, source says', 'The Ministry of State Security is questioning them.'),
    ).not.toBe('ignore');
    // Without the province the same headline names no country and scores nothing.
    expect(decide('Women sent back from China held in a camp, source says')).toBe('ignore');
    expect(decide('North Korea deports American woman who crossed the border')).toBe('ignore');
  });
});
