/** The labelled fixture sets the rule tests evaluate, read and classified the same way. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Classification } from '../../../src/domain/index.js';
import { compileClassifier, evaluate, loadRulePacks, type Classifier, type EvalReport } from '../../../src/rules/index.js';

/** One line of a test/fixtures/*.jsonl set (all written for this project). */
export interface LabelledItem {
  id: string;
  title: string;
  text: string;
  lang: string;
  label: boolean;
  kind: string;
}

export function readFixture(name: 'labelled' | 'heldout' | 'blind' | 'realistic' | 'longform'): LabelledItem[] {
  const file = fileURLToPath(new URL(`../../fixtures/${name}.jsonl`, import.meta.url));
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabelledItem);
}

/** The default configuration's classifier (nk-forced-repatriation and what it includes). */
export function defaultClassifier(): Classifier {
  return compileClassifier(loadRulePacks([]));
}

export function classifyAll(classifier: Classifier, items: readonly LabelledItem[]): Array<{ item: LabelledItem; r: Classification }> {
  return items.map((item) => ({ item, r: classifier.classify({ title: item.title, text: item.text, lang: item.lang }) }));
}

/** One line per item for failure messages: id, kind, decision, score, title and rule scores. */
export function explain(item: LabelledItem, r: Classification): string {
  return `${item.id} [${item.kind}/${item.lang}] → ${r.decision} (${r.score}) ${item.title}\n    ${r.rules.map((s) => `${s.rule}=${s.score}`).join(' ')}`;
}

/** Evaluates a classified set and prints its misses and false alerts (to read when a bound fails). */
export function evaluateSet(name: string, results: ReadonlyArray<{ item: LabelledItem; r: Classification }>): EvalReport {
  const report = evaluate(
    results.map(({ item }) => item),
    results.map(({ item, r }) => ({ id: item.id, decision: r.decision })),
  );
  const misses = results.filter(({ item, r }) => item.label && r.decision === 'ignore');
  const falseAlerts = results.filter(({ item, r }) => !item.label && r.decision === 'alert');
  if (misses.length + falseAlerts.length > 0) {
    console.log(
      `${name}: recall ${report.recall.toFixed(3)}, alert precision ${report.alertPrecision.toFixed(3)}\n` +
        [...misses.map((m) => `MISS ${explain(m.item, m.r)}`), ...falseAlerts.map((f) => `FALSE ALERT ${explain(f.item, f.r)}`)].join('\n'),
    );
  }
  return report;
}
