import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinRulesDir, loadGazetteer, loadRulePacks, resolvePackPath, RulePackError } from '../../../src/rules/index.js';

const dir = mkdtempSync(join(tmpdir(), 'refwatch-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
}

function errorOf(fn: () => unknown): RulePackError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RulePackError) return error;
    throw error;
  }
  throw new Error('expected a RulePackError');
}

const GOOD = `pack: mini
thresholds: { alert: 10, review: 5 }
rules:
  - id: a
    terms:
      - { t: "forcibly repatriat*", w: 6 }
      - refoulement
`;

describe('loadRulePacks', () => {
  it('loads a pack by path and applies defaults', () => {
    const [pack] = loadRulePacks([write('mini.yaml', GOOD)]);
    expect(pack?.pack).toBe('mini');
    expect(pack?.titleWeight).toBe(2);
    expect(pack?.rules[0]?.terms).toEqual([{ t: 'forcibly repatriat*', w: 6 }, 'refoulement']);
  });

  it('resolves built-in names in a directory, paths as paths', () => {
    write('named.yaml', GOOD.replace('mini', 'named'));
    expect(loadRulePacks(['named'], { dir })[0]?.pack).toBe('named');
    expect(resolvePackPath('nk-forced-repatriation')).toBe(join(builtinRulesDir(), 'nk-forced-repatriation.yaml'));
    expect(resolvePackPath('./x/y.yaml')).toBe(join(process.cwd(), 'x/y.yaml'));
  });

  it('finds the repository config/rules folder from the module', () => {
    expect(builtinRulesDir().endsWith(join('config', 'rules'))).toBe(true);
    expect(loadGazetteer().places.some((p) => p.name === 'Dandong')).toBe(true);
  });

  it.each([
    ['a wrong type', GOOD.replace('w: 6', 'w: six'), 'rules[0].terms[0]', 6],
    ['a typo in a key', GOOD.replace('terms:', 'term:'), 'rules[0]', 4],
    ['a wildcard inside a term', GOOD.replace('refoulement', '"re*foulement"'), 'rules[0].terms[1]', 7],
    ['a bad severity', `${GOOD}severity: { base: urgent }\n`, 'severity.base', 8],
    ['a duplicate rule id', `${GOOD}  - id: a\n    terms: [x]\n`, 'rules[1].id', 8],
    ['inverted thresholds', GOOD.replace('alert: 10, review: 5', 'alert: 5, review: 10'), 'thresholds', 2],
  ])('reports %s with key path and line', (_name, body, path, line) => {
    const file = write('bad.yaml', body);
    const error = errorOf(() => loadRulePacks([file]));
    expect(error.file).toBe(file);
    const issue = error.issues.find((i) => i.path.startsWith(path));
    expect(issue, JSON.stringify(error.issues)).toBeDefined();
    expect(issue?.line).toBe(line);
    expect(error.message).toContain(`${file}:${line}: ${issue?.path}`);
  });

  it('reports YAML syntax errors with a line', () => {
    const error = errorOf(() => loadRulePacks([write('syntax.yaml', 'pack: x\nrules: [\n  - id: a\n')]));
    expect(error.issues[0]?.line).toBeGreaterThan(1);
    expect(error.issues[0]?.message).toMatch(/^YAML:/);
  });

  it('names a missing file', () => {
    const error = errorOf(() => loadRulePacks(['no-such-pack'], { dir }));
    expect(error.message).toContain(join(dir, 'no-such-pack.yaml'));
    expect(error.issues[0]?.message).toContain('not found');
  });

  it('rejects two packs with the same name', () => {
    const a = write('one.yaml', GOOD);
    const b = write('two.yaml', GOOD);
    expect(() => loadRulePacks([a, b])).toThrow(/already used/);
  });
});
