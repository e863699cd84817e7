import { describe, expect, it } from 'vitest';
import { classifyAll, defaultClassifier, evaluateSet, explain, readFixture, type LabelledItem } from './fixture-sets.js';

/**
 * test/fixtures/longform.jsonl: 40 full pages as a source with `fetchArticle: true` hands them to
 * the rules (300–1,500 words, page chrome included: menus, cookie banners, share buttons, "Most
 * read" / "관련 기사" link lists), written *before* reading the pack.
 * 20 positives: UN special procedures, HRW, Amnesty, Daily NK, NK News, Yonhap, 연합뉴스 / 데일리NK
 * 기사 전문, a Westminster Hall debate, CECC and EEAS statements, Japanese and Chinese articles, and
 * seven `section` / `newsletter` pages where the returns are one paragraph of a broader report
 * (HRW World Report, a UN SG report, the TIP report, 북한인권보고서, a UPR summary, a digest).
 * 20 negatives: long North Korea / China / human-rights pages not about forced returns (DPRK food
 * insecurity, Xinjiang, Hong Kong, market prices, missiles, a defector's restaurant, an HRC debate
 * naming the DPRK once, war-remains ceremonies in English and Korean, Dandong trade, unification
 * policy, abductees, Afghans returned from Pakistan, a memoir review); four carry a link list
 * whose headline is about forced repatriation.
 *
 * Measured BEFORE any pack change: flagged recall 1.000, alert precision 0.800 (5 false alerts),
 * negatives flagged 6/20 (30 %). Causes: a "Most read" headline in the chrome (lf-neg-02, -04, -12,
 * -19); `refoulement` about Afghans plus one "DPRK" three paragraphs away (-07); one phrase scoring
 * several overlapping terms (강제북송 = 강제북송 + 북송 + near; "sent back" = term + send…back near);
 * `context` and `held-in-china` counting China / detained / defectors anywhere in the page.
 *
 * AFTER (pack v3): flagged recall 1.000, alert recall 1.000, alert precision 0.952, negatives flagged
 * 2/20: lf-neg-02 still alerts (a "Most viewed" link "Forced repatriation of North Koreans must end"
 * on an HRW Xinjiang page whose own text is about deported Uyghurs: the link supplies the North
 * Korea words, the page the return verbs); lf-neg-18, a memoir's "caught … sent back across the
 * border" in 2004, is a review. Both bounds below are met at the edge, not with room to spare.
 */
const items = readFixture('longform');

const nk = defaultClassifier();
const results = classifyAll(nk, items);

/** Length in words; Chinese and Japanese count two characters as one word, as the matcher does. */
function words(item: LabelledItem): number {
  const all = `${item.title}\n${item.text}`;
  if (item.lang === 'zh' || item.lang === 'ja') return (all.match(/[\u3040-\u30ff\u3400-\u9fff]/g) ?? []).length / 2;
  return all.split(/\s+/).filter((w) => w !== '').length;
}

/** Long general North Korea / China pages must stay quiet: at most this share may reach review or alert. */
const MAX_NEGATIVE_FLAGGED = 0.1;

describe('long-form set', () => {
  it('has the advertised shape: 20 + 20 full pages of 300–1,500 words', () => {
    expect(items.length).toBe(40);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(items.filter((i) => i.label).length).toBe(20);
    const outOfRange = items.filter((i) => words(i) < 300 || words(i) > 1500).map((i) => `${i.id}: ${Math.round(words(i))} words`);
    expect(outOfRange).toEqual([]);
    expect(items.filter((i) => i.label && (i.kind === 'section' || i.kind === 'newsletter')).length).toBeGreaterThanOrEqual(5);
    for (const lang of ['ko', 'ja', 'zh']) expect(items.filter((i) => i.label && i.lang === lang).length).toBeGreaterThanOrEqual(1);
  });

  it('default packs: flagged recall ≥ 0.95 and alert precision ≥ 0.95', () => {
    const rep = evaluateSet('longform', results);
    expect(rep.missing).toEqual([]);
    expect(rep.recall).toBeGreaterThanOrEqual(0.95);
    expect(rep.alertPrecision).toBeGreaterThanOrEqual(0.95);
  });

  it(`long negatives: at most ${MAX_NEGATIVE_FLAGGED * 100} % reach review or alert`, () => {
    const negatives = results.filter(({ item }) => !item.label);
    const flagged = negatives.filter(({ r }) => r.decision !== 'ignore');
    if (flagged.length > 0) console.log(flagged.map(({ item, r }) => `FLAGGED ${explain(item, r)}`).join('\n'));
    expect(flagged.length / negatives.length).toBeLessThanOrEqual(MAX_NEGATIVE_FLAGGED);
  });

  it('a broad report with one paragraph on returns still alerts (the paragraph is not drowned)', () => {
    const sections = results.filter(({ item }) => item.label && (item.kind === 'section' || item.kind === 'newsletter'));
    expect(sections.filter(({ r }) => r.decision !== 'alert').map(({ item, r }) => explain(item, r))).toEqual([]);
  });
});

describe('long-text mechanisms, on text not in any fixture', () => {
  const decide = (title: string, text: string): string => nk.classify({ title, text }).decision;
  const filler = 'Officials discussed budgets, harvests and road building at length during the annual session. '.repeat(8);

  it('a return headline in a "Most read" list makes an unrelated page a review at most, not an alert', () => {
    const headline = 'China forcibly repatriates North Korean defectors';
    // Without the list header the same line in the body alerts; after it, it loses 10 points.
    expect(
      decide('Seoul apartment prices climb for third month', `Seoul property prices rose again in March. ${filler}\n${headline}.`),
    ).toBe('alert');
    const page = `Seoul property prices rose again in March. ${filler}\nMost read\n1. Rain expected\n2. ${headline}\n3. Stocks rise`;
    expect(decide('Seoul apartment prices climb for third month', page)).not.toBe('alert');
    expect(
      decide('서울 아파트값 석 달째 상승', `서울 아파트값이 올랐다. ${filler}\n많이 본 뉴스\n1. 中 공안, 탈북민 체포…강제북송 우려`),
    ).not.toBe('alert');
  });

  it("the same headline as the article's own title still alerts", () => {
    expect(decide('China forcibly repatriates North Korean defectors', `Chinese police handed the group over at Tumen. ${filler}`)).toBe(
      'alert',
    );
  });

  it('refoulement of others plus one distant DPRK mention stays below review', () => {
    const text = `Speakers urged Pakistan to respect non-refoulement and halt deportations of Afghan refugees returned to Taliban rule. ${filler} Others raised Belarus, Iran and the Democratic People's Republic of Korea.`;
    expect(decide('Council holds general debate', text)).toBe('ignore');
  });

  it('refoulement next to North Koreans still counts', () => {
    const text = `The experts said the refoulement of North Korean escapees detained in China must stop. ${filler}`;
    expect(decide('UN experts raise concern', text)).not.toBe('ignore');
  });
});
