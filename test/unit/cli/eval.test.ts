import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture, jsonLines, run } from './run-cli.js';

const pack = fixture('test-pack.yaml');
const labelled = fixture('labelled.jsonl');

describe('refwatch eval', () => {
  it('prints precision, recall, the confusion table, misses and false alerts', async () => {
    const result = await run(['eval', labelled, '--packs', pack]);
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain('7 items, 4 labelled true');
    expect(out).toContain('precision 0.750  recall 0.750  F1 0.750');
    expect(out).toContain('alerts only: precision 0.667  recall 0.500');
    expect(out).toMatch(/^true\s+2\s+1\s+1$/m);
    expect(out).toMatch(/^false\s+1\s+0\s+2$/m);
    expect(out).toMatch(/misses \(labelled true, ignored\): 1\n {2}pos-4 {2}ignore {2}score 0/);
    expect(out).toMatch(/false alerts \(labelled false, alerted\): 1\n {2}neg-2 {2}alert {2}score \d+/);
  });

  it('exits 0 when the thresholds are met and 1 under them', async () => {
    expect((await run(['eval', labelled, '--packs', pack, '--min-recall', '0.75', '--min-precision', '0.7'])).code).toBe(0);
    const under = await run(['eval', labelled, '--packs', pack, '--min-recall', '0.9']);
    expect(under.code).toBe(1);
    expect(under.stderr).toContain('recall 0.75 is under --min-recall 0.9');
    const underPrecision = await run(['eval', labelled, '--packs', pack, '--min-precision', '0.8']);
    expect(underPrecision.code).toBe(1);
    expect(underPrecision.stderr).toContain('precision 0.75 is under --min-precision 0.8');
  });

  it('--json prints one object with the metrics and the verdict', async () => {
    const result = await run(['eval', labelled, '--packs', pack, '--json', '--min-recall', '0.9']);
    expect(result.code).toBe(1);
    const [report] = jsonLines(result.stdout);
    expect(report).toMatchObject({
      items: 7,
      positives: 4,
      precision: 0.75,
      recall: 0.75,
      confusion: { true: { alert: 2, review: 1, ignore: 1 }, false: { alert: 1, review: 0, ignore: 2 } },
      misses: [expect.objectContaining({ id: 'pos-4', decision: 'ignore' })],
      falseAlerts: [expect.objectContaining({ id: 'neg-2', decision: 'alert' })],
      pass: false,
    });
  });

  it('exits 2 for a missing file, bad lines, or a bad threshold', async () => {
    const missing = await run(['eval', 'no-such.jsonl']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read no-such.jsonl');

    const dir = mkdtempSync(path.join(tmpdir(), 'refwatch-eval-'));
    writeFileSync(path.join(dir, 'bad.jsonl'), '{"id":"a","title":"t","text":"x"}\n{"id":"b","title":"t","text":"x","label":"yes"}\n');
    const bad = await run(['eval', 'bad.jsonl', '--packs', pack], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('2 unusable line(s)');
    expect(bad.stderr).toContain('line 2: label: label must be true or false');

    const badThreshold = await run(['eval', labelled, '--min-recall', '1.5']);
    expect(badThreshold.code).toBe(2);
    expect(badThreshold.stderr).toContain('--min-recall must be a number from 0 to 1');
  });
});
