import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileClassifier, loadRulePacks } from '../../src/rules/index.js';

// Reads ../shared/seeds (next to the repository root), which only exists on the maintainers'
// machines and in CI: run with `npm run test:shared`. A user's clone skips this file.
const seedsFile = fileURLToPath(new URL('../../../shared/seeds/seeds.jsonl', import.meta.url));
const present = existsSync(seedsFile);

interface Seed {
  id: string;
  title: string;
  text: string;
  lang?: string;
}

if (!present) {
  console.warn(`[test:shared] ${seedsFile} not found: skipping the seed documents check (the ../shared folder is absent).`);
}

describe.skipIf(!present)('seed documents (../shared/seeds/seeds.jsonl)', () => {
  const seeds: Seed[] = present
    ? readFileSync(seedsFile, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Seed)
    : [];
  const classifier = compileClassifier(loadRulePacks([]));

  it('has the five seeds', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(5);
  });

  it.each(seeds.map((s) => [s.id, s] as const))('%s classifies as alert with the default packs', (_id, seed) => {
    const r = classifier.classify({ title: seed.title, text: seed.text, ...(seed.lang !== undefined ? { lang: seed.lang } : {}) });
    expect(r.decision, `score ${r.score}: ${r.rules.map((s) => `${s.rule}=${s.score}`).join(' ')}`).toBe('alert');
  });
});
