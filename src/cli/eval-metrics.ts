/** Report for `refwatch eval`: the rules' `evaluate` metrics plus a confusion table. Pure. */
import type { Decision } from '../domain/index.js';
import { evaluate } from '../rules/index.js';

/** One labelled item after classification. */
export interface Scored {
  id: string;
  title: string;
  label: boolean;
  decision: Decision;
  score: number;
}

/** Counts of label × decision. */
export type Confusion = Record<'true' | 'false', Record<Decision, number>>;

export interface EvalSummary {
  items: number;
  positives: number;
  /** Flagged (alert or review) items labelled true / all flagged; 1 when nothing was flagged. */
  precision: number;
  /** Labelled-true items that were flagged / all labelled true; 1 when none are labelled true. */
  recall: number;
  f1: number;
  /** The same, counting only `alert` as positive. */
  alertPrecision: number;
  alertRecall: number;
  confusion: Confusion;
  /** Labelled true, decided ignore: nobody would see them. Highest score first. */
  misses: Scored[];
  /** Labelled false, decided alert: noise in the alerts channel. Highest score first. */
  falseAlerts: Scored[];
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Scores decisions against labels. Positive means "flagged" (alert or review), as in the rules'
 * `evaluate`: a review still reaches a moderator, an ignore reaches nobody.
 */
export function summarize(items: readonly Scored[]): EvalSummary {
  const confusion: Confusion = {
    true: { alert: 0, review: 0, ignore: 0 },
    false: { alert: 0, review: 0, ignore: 0 },
  };
  for (const item of items) confusion[item.label ? 'true' : 'false'][item.decision]++;
  const report = evaluate(items, items);
  const byId = new Map(items.map((item) => [item.id, item]));
  const pick = (ids: string[]) => ids.flatMap((id) => byId.get(id) ?? []).sort((a, b) => b.score - a.score);
  return {
    items: items.length,
    positives: report.tp + report.fn,
    precision: round(report.precision),
    recall: round(report.recall),
    f1: round(report.f1),
    alertPrecision: round(report.alertPrecision),
    alertRecall: round(report.alertRecall),
    confusion,
    misses: pick(report.misses),
    falseAlerts: pick(report.falseAlerts),
  };
}

/** Threshold failures, as messages (empty when every threshold is met). */
export function thresholdFailures(summary: EvalSummary, minRecall?: number, minPrecision?: number): string[] {
  const failures: string[] = [];
  if (minRecall !== undefined && summary.recall < minRecall) failures.push(`recall ${summary.recall} is under --min-recall ${minRecall}`);
  if (minPrecision !== undefined && summary.precision < minPrecision) {
    failures.push(`precision ${summary.precision} is under --min-precision ${minPrecision}`);
  }
  return failures;
}

function cells(values: (string | number)[]): string {
  return values.map((value, i) => (i === 0 ? String(value).padEnd(18) : String(value).padStart(8))).join('');
}

/** The human-readable report: metrics, confusion table, misses and false alerts. */
export function formatSummary(summary: EvalSummary): string {
  const lines = [
    `${summary.items} items, ${summary.positives} labelled true`,
    `precision ${summary.precision.toFixed(3)}  recall ${summary.recall.toFixed(3)}  F1 ${summary.f1.toFixed(3)}   (alert or review = flagged)`,
    `alerts only: precision ${summary.alertPrecision.toFixed(3)}  recall ${summary.alertRecall.toFixed(3)}`,
    '',
    cells(['label \\ decision', 'alert', 'review', 'ignore']),
    cells(['true', summary.confusion.true.alert, summary.confusion.true.review, summary.confusion.true.ignore]),
    cells(['false', summary.confusion.false.alert, summary.confusion.false.review, summary.confusion.false.ignore]),
  ];
  const list = (heading: string, items: Scored[]) => {
    lines.push('', `${heading}: ${items.length}`);
    for (const item of items) lines.push(`  ${item.id}  ${item.decision}  score ${item.score}  ${item.title.slice(0, 100)}`);
  };
  list('misses (labelled true, ignored)', summary.misses);
  list('false alerts (labelled false, alerted)', summary.falseAlerts);
  return `${lines.join('\n')}\n`;
}
