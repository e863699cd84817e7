import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/rules/index.js';
import { classifyAll, defaultClassifier, explain, readFixture } from './fixture-sets.js';

/**
 * test/fixtures/heldout.jsonl: items written for this project *before* the pack was
 * tuned on them (first 100), then 30 more written after tuning (ids "ho2-…"). They are a check on
 * wording the pack was not built from; the thresholds are the same as for the labelled set.
 */
const items = readFixture('heldout');

const nk = defaultClassifier();
const results = classifyAll(nk, items);

function report(subset: typeof results): ReturnType<typeof evaluate> {
  return evaluate(
    subset.map(({ item }) => item),
    subset.map(({ item, r }) => ({ id: item.id, decision: r.decision })),
  );
}

describe('held-out set', () => {
  it('is big and varied enough to mean something', () => {
    expect(items.length).toBeGreaterThanOrEqual(130);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(items.filter((i) => i.label).length).toBeGreaterThanOrEqual(65);
    expect(items.filter((i) => i.kind.startsWith('trap-')).length).toBeGreaterThanOrEqual(55);
    const langs = new Set(items.filter((i) => i.label).map((i) => i.lang));
    for (const lang of ['en', 'ko', 'zh', 'ja', 'fr', 'es', 'ru', 'ar', 'de']) expect(langs).toContain(lang);
  });

  it('default pack: flagged recall ≥ 0.97 and alert precision ≥ 0.95', () => {
    const rep = report(results);
    const misses = results.filter(({ item, r }) => item.label && r.decision === 'ignore');
    const falseAlerts = results.filter(({ item, r }) => !item.label && r.decision === 'alert');
    if (misses.length + falseAlerts.length > 0) {
      console.log(
        `held-out: recall ${rep.recall.toFixed(3)}, alert precision ${rep.alertPrecision.toFixed(3)}\n` +
          [...misses.map((m) => `MISS ${explain(m.item, m.r)}`), ...falseAlerts.map((f) => `FALSE ALERT ${explain(f.item, f.r)}`)].join(
            '\n',
          ),
      );
    }
    expect(rep.missing).toEqual([]);
    expect(rep.recall).toBeGreaterThanOrEqual(0.97);
    expect(rep.alertPrecision).toBeGreaterThanOrEqual(0.95);
  });

  it('the last fresh batch alone meets the same bar', () => {
    const rep = report(results.filter(({ item }) => item.id.startsWith('ho2-')));
    expect(rep.total).toBe(30);
    expect(rep.recall).toBeGreaterThanOrEqual(0.97);
    expect(rep.alertPrecision).toBeGreaterThanOrEqual(0.95);
  });

  it('South Korea returning fishermen: forced (2019) is flagged, at their own request never alerts', () => {
    const byId = new Map(results.map(({ item, r }) => [item.id, r.decision]));
    expect(byId.get('ho-pos-28')).not.toBe('ignore');
    expect(byId.get('ho-pos-37')).not.toBe('ignore');
    for (const id of ['ho-neg-30', 'ho-neg-31', 'ho-neg-32', 'ho2-neg-09']) expect(byId.get(id), id).not.toBe('alert');
  });

  it('North Koreans held in China with no return word still reach review, never alert', () => {
    const r = nk.classify({
      title: 'Five North Korean escapees arrested in Yunnan',
      text: 'Their relatives in Seoul fear for their safety.',
    });
    expect(r.decision).toBe('review');
    expect(nk.classify({ title: 'North Korean defector opens restaurant in Seoul', text: 'He spent years in China.' }).decision).toBe(
      'ignore',
    );
  });
});
