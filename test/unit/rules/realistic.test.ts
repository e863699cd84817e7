import { describe, expect, it } from 'vitest';
import { classifyAll, defaultClassifier, evaluateSet, explain, readFixture } from './fixture-sets.js';

/**
 * test/fixtures/realistic.jsonl: 150 items shaped like real traffic, written *before* reading the
 * pack or the other fixtures. 50 positives (20 title-only or title + publisher, as Google News /
 * Bing deliver them; 25 in Korean, in Yonhap / 뉴스1 / 데일리NK / RFA idiom) and 100 negatives
 * from a normal week of North Korea, China and migration news (40 in Korean; 11 mention 탈북민 or
 * defectors in unrelated contexts: jobs, elections, TV, settlement money, a defector arrested
 * in Seoul; also 송환 of war remains, fishermen returned at their own wish, China repatriating
 * its own scam suspects, Uyghurs and Afghans deported).
 *
 * Measured BEFORE any pack change:
 *   flagged recall 0.980 (49/50), alert precision 1.000, alert recall 0.900,
 *   review rate on negatives 0.000 (0/100 reached review or alert).
 *   Miss: rl-pos-07 "러시아서 붙잡힌 탈북 노동자, 북한으로 송환돼 - VOA 한국어" (4: one 송환 in a
 *   title, nothing else). At review: three title-only items whose single verb (북송, 遣返) sat
 *   next to the escapees (rl-pos-06 탈북민 또 북송, -09 북송된 탈북 여성들, -16 遣返脱北者) — the
 *   Korean and Chinese rules had no "verb near escapees" clause like return-en's — and rl-pos-29.
 *
 * AFTER (pack: `near` escapees ↔ 북송 / 송환 in forced-ko, 遣返 ↔ 脱北 in forced-zh, 送還 ↔ 脱北
 * in forced-ja; traps for 송환 *to the South* — 납북자, 국군포로, 억류 선교사, 국내 송환 — and
 * heavier 재일교포 / 조총련 for the 1959–84 북송 programme):
 *   flagged recall 1.000, alert precision 1.000, alert recall 0.960 (rl-pos-07 and -29 at review:
 *   송환 is any return, so it stays a review unless more evidence comes), review rate on negatives 0.000.
 *   Other sets unchanged in recall / alert precision (1.000 / 1.000); negatives flagged:
 *   labelled 0/103, heldout 1/59, blind 1/59.
 *
 * Caveat: the negatives turned out easy for this pack (none scored above 0 before the change), so
 * the 5 % bound guards against regressions more than it proves robustness.
 */
const items = readFixture('realistic');

const nk = defaultClassifier();
const results = classifyAll(nk, items);

/** Everyday news must stay quiet: at most this share of negatives may reach review or alert. */
const MAX_NEGATIVE_REVIEW_RATE = 0.05;

describe('realistic set', () => {
  it('has the advertised shape', () => {
    const pos = items.filter((i) => i.label);
    const neg = items.filter((i) => !i.label);
    expect(items.length).toBe(150);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(pos.length).toBe(50);
    expect(pos.filter((i) => i.kind === 'title-only').length).toBe(20);
    expect(pos.filter((i) => i.lang === 'ko').length).toBe(25);
    expect(neg.filter((i) => i.lang === 'ko').length).toBe(40);
    expect(neg.filter((i) => i.kind === 'defector-unrelated').length).toBeGreaterThanOrEqual(10);
  });

  it('default pack: flagged recall ≥ 0.97 and alert precision ≥ 0.95', () => {
    const rep = evaluateSet('realistic', results);
    expect(rep.missing).toEqual([]);
    expect(rep.recall).toBeGreaterThanOrEqual(0.97);
    expect(rep.alertPrecision).toBeGreaterThanOrEqual(0.95);
  });

  it(`everyday negatives: at most ${MAX_NEGATIVE_REVIEW_RATE * 100} % reach review or alert`, () => {
    const negatives = results.filter(({ item }) => !item.label);
    const flagged = negatives.filter(({ r }) => r.decision !== 'ignore');
    if (flagged.length > 0) console.log(flagged.map(({ item, r }) => `FLAGGED ${explain(item, r)}`).join('\n'));
    expect(flagged.length / negatives.length).toBeLessThanOrEqual(MAX_NEGATIVE_REVIEW_RATE);
  });

  it('title-only positives are flagged (an aggregator item has no body to add evidence)', () => {
    const missed = results
      .filter(({ item, r }) => item.kind === 'title-only' && r.decision === 'ignore')
      .map(({ item, r }) => explain(item, r));
    expect(missed).toEqual([]);
  });
});

describe('Korean / Chinese / Japanese "verb next to escapees" rules, on items not in any fixture', () => {
  const decide = (title: string, text = ''): string => nk.classify({ title, text }).decision;

  it('a headline with 북송 / 遣返 / 送還 next to the escapees alerts on its own', () => {
    expect(decide('"탈북민 또 북송"…中 항저우 직후 - 데일리NK')).toBe('alert');
    expect(decide('탈북 여성 북송…인권위 "깊은 유감"')).toBe('alert');
    expect(decide('中国遣返脱北妇女 - 法广')).toBe('alert');
    // 송환 is any return, so with escapees it is a review, not an alert.
    expect(decide('러시아서 붙잡힌 탈북민, 송환돼 - 뉴스')).toBe('review');
  });

  it('송환 towards the South or of other people stays below review', () => {
    expect(decide('탈북민 단체, 납북자·억류자 송환 촉구 집회 - 뉴스1')).toBe('ignore');
    expect(decide('北 억류 선교사 송환 촉구…탈북민 단체 기자회견')).toBe('ignore');
    expect(decide('6·25 국군포로 송환 촉구 탈북민 증언')).toBe('ignore');
    expect(decide('필리핀서 검거된 탈북민 출신 마약사범 국내 송환 - 연합뉴스')).toBe('ignore');
    expect(
      decide(
        '캄보디아 도피 탈북민 사기범, 국내로 강제송환',
        '경찰청은 인터폴 적색수배로 검거한 탈북민 출신 남성을 국내로 강제송환했다고 밝혔다.',
      ),
    ).toBe('ignore');
    expect(decide('탈북민 출신 방송인, 북송된 재일교포 가족 이야기 다큐 - KBS')).toBe('ignore');
    // Sanctions copy: workers sent home under UN resolutions are not escapees.
    expect(decide('러시아, 안보리 결의에도 北 노동자 북한으로 송환 안 해 - VOA 한국어')).toBe('ignore');
  });
});
