import type { Decision } from '../domain/index.js';

/** A labelled example: `label` true means the item should be flagged. */
export interface LabelledItem {
  id: string;
  label: boolean;
}

/** What the classifier decided for an item. */
export interface EvalResult {
  id: string;
  decision: Decision;
}

/** Confusion matrix and rates; flagged (alert or review) counts as positive. */
export interface EvalReport {
  total: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** tp / (tp + fp); 1 when nothing was flagged. */
  precision: number;
  /** tp / (tp + fn); 1 when nothing is labelled positive. */
  recall: number;
  f1: number;
  /** Share of `alert` decisions that are labelled positive; 1 when there are no alerts. */
  alertPrecision: number;
  /** Share of positives that came out as `alert` (not just review). */
  alertRecall: number;
  /** Positives decided `ignore`. */
  misses: string[];
  /** Negatives decided `alert` (reviews of negatives are only counted in fp). */
  falseAlerts: string[];
  /** Labelled ids without a result (counted as `ignore`). */
  missing: string[];
}

function ratio(num: number, den: number): number {
  return den === 0 ? 1 : num / den;
}

/** Compares decisions with labels (pure; used by `refwatch eval`). */
export function evaluate(labelled: readonly LabelledItem[], results: readonly EvalResult[] | ReadonlyMap<string, Decision>): EvalReport {
  const byId = results instanceof Map ? results : new Map((results as readonly EvalResult[]).map((r) => [r.id, r.decision]));
  const report: EvalReport = {
    total: labelled.length,
    tp: 0,
    fp: 0,
    fn: 0,
    tn: 0,
    precision: 1,
    recall: 1,
    f1: 1,
    alertPrecision: 1,
    alertRecall: 1,
    misses: [],
    falseAlerts: [],
    missing: [],
  };
  let alerts = 0;
  let trueAlerts = 0;
  for (const item of labelled) {
    const decision = byId.get(item.id);
    if (decision === undefined) report.missing.push(item.id);
    const d: Decision = decision ?? 'ignore';
    const flagged = d !== 'ignore';
    if (d === 'alert') {
      alerts++;
      if (item.label) trueAlerts++;
      else report.falseAlerts.push(item.id);
    }
    if (item.label && flagged) report.tp++;
    else if (item.label) {
      report.fn++;
      report.misses.push(item.id);
    } else if (flagged) report.fp++;
    else report.tn++;
  }
  report.precision = ratio(report.tp, report.tp + report.fp);
  report.recall = ratio(report.tp, report.tp + report.fn);
  const pr = report.precision + report.recall;
  report.f1 = pr === 0 ? 0 : (2 * report.precision * report.recall) / pr;
  report.alertPrecision = ratio(trueAlerts, alerts);
  report.alertRecall = ratio(trueAlerts, report.tp + report.fn);
  return report;
}
