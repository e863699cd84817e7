import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/rules/index.js';

describe('evaluate', () => {
  it('counts review as flagged for recall and alerts separately for precision', () => {
    const labelled = [
      { id: 'a', label: true },
      { id: 'b', label: true },
      { id: 'c', label: true },
      { id: 'd', label: false },
      { id: 'e', label: false },
      { id: 'f', label: false },
    ];
    const report = evaluate(labelled, [
      { id: 'a', decision: 'alert' },
      { id: 'b', decision: 'review' },
      { id: 'c', decision: 'ignore' },
      { id: 'd', decision: 'alert' },
      { id: 'e', decision: 'review' },
      { id: 'f', decision: 'ignore' },
    ]);
    expect(report).toMatchObject({ tp: 2, fp: 2, fn: 1, tn: 1, misses: ['c'], falseAlerts: ['d'], missing: [] });
    expect(report.precision).toBeCloseTo(0.5);
    expect(report.recall).toBeCloseTo(2 / 3);
    expect(report.f1).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3));
    expect(report.alertPrecision).toBeCloseTo(0.5);
    expect(report.alertRecall).toBeCloseTo(1 / 3);
  });

  it('treats a missing result as ignore and lists it', () => {
    const report = evaluate([{ id: 'x', label: true }], new Map());
    expect(report).toMatchObject({ fn: 1, misses: ['x'], missing: ['x'], recall: 0 });
  });

  it('empty denominators give 1, not NaN', () => {
    const report = evaluate([{ id: 'n', label: false }], [{ id: 'n', decision: 'ignore' }]);
    expect(report).toMatchObject({ precision: 1, recall: 1, alertPrecision: 1, tn: 1 });
  });
});
