/** The labelled fixture sets the rule tests evaluate, read and classified the same way. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Classification } from '../../../src/domain/index.js';
import { compileClassifier, loadRulePacks, type Classifier } from '../../../src/rules/index.js';

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
