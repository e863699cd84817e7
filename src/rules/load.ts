import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, isNode, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { gazetteerSchema, packSchema } from './schema.js';
import type { Gazetteer, RulePack } from './schema.js';

/** Packs loaded when a config names none. */
export const DEFAULT_RULE_PACKS: readonly string[] = ['nk-forced-repatriation'];

/** One problem in a pack file, located for an operator. */
export interface RulePackIssue {
  /** Key path, e.g. "rules[2].terms[0].w" (empty for the whole file). */
  path: string;
  /** 1-based line in the file, when known. */
  line?: number;
  message: string;
}

/** A pack (or gazetteer) that cannot be used; `message` lists every issue as file:line: path: problem. */
export class RulePackError extends Error {
  override readonly name = 'RulePackError';
  constructor(
    readonly file: string,
    readonly issues: RulePackIssue[],
  ) {
    super(
      `invalid rule pack ${file}:\n` +
        issues.map((i) => `  ${file}${i.line !== undefined ? `:${i.line}` : ''}: ${i.path || '(file)'}: ${i.message}`).join('\n'),
    );
  }
}

let configDirCache: string | undefined;

/**
 * The repository's `config/rules` folder, found by walking up from this module so it works
 * from `src/rules/` (tsx) and from `dist/src/rules/` (after tsc).
 */
export function builtinRulesDir(): string {
  if (configDirCache) return configDirCache;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++) {
    const candidate = join(dir, 'config', 'rules');
    if (existsSync(candidate)) {
      configDirCache = candidate;
      return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`config/rules not found above ${fileURLToPath(import.meta.url)}: is the package installed with its config/ folder?`);
}

/** Resolves a pack name: anything with "/" or ending in .yaml/.yml is a path, else a built-in name. */
export function resolvePackPath(name: string, dir?: string): string {
  if (name.includes('/') || name.includes('\\') || /\.ya?ml$/i.test(name)) {
    return isAbsolute(name) ? name : resolve(name);
  }
  return join(dir ?? builtinRulesDir(), `${name}.yaml`);
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** The line of the deepest YAML node that exists along `path`. */
function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let len = path.length; len >= 0; len--) {
    const keys = path.slice(0, len).map((k) => (typeof k === 'symbol' ? String(k) : k));
    const node: unknown = len === 0 ? doc.contents : doc.getIn(keys, true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

interface PathIssue {
  path: PropertyKey[];
  message: string;
  code?: string;
  errors?: PathIssue[][];
}

/**
 * zod reports a failed union ("a string or { t, w }") as one vague "Invalid input"; report
 * the branch that got furthest instead (e.g. "w: expected number"), with the full path.
 */
function flattenUnions(issues: readonly PathIssue[]): PathIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || !issue.errors || issue.errors.length === 0) return [issue];
    const depth = (branch: PathIssue[]): number => Math.max(0, ...branch.map((i) => i.path.length));
    const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
    if (best.length === 0 || depth(best) === 0) return [issue];
    return flattenUnions(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
  });
}

function parseYamlFile<T extends z.ZodType>(file: string, schema: T): z.output<T> {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RulePackError(file, [
      {
        path: '',
        message: code === 'ENOENT' ? 'file not found (built-in packs live in config/rules/<name>.yaml)' : `cannot read: ${String(error)}`,
      },
    ]);
  }
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new RulePackError(
      file,
      doc.errors.map((e) => ({ path: '', line: counter.linePos(e.pos[0]).line, message: `YAML: ${e.message.split('\n')[0] ?? e.code}` })),
    );
  }
  const result = schema.safeParse(doc.toJS());
  if (!result.success) {
    throw new RulePackError(
      file,
      flattenUnions(result.error.issues).map((issue) => {
        const line = lineOf(doc, counter, issue.path);
        return { path: formatPath(issue.path), ...(line !== undefined ? { line } : {}), message: issue.message };
      }),
    );
  }
  return result.data;
}

/** Loads and validates one pack file; throws {@link RulePackError}. */
export function loadRulePackFile(file: string): RulePack {
  return parseYamlFile(file, packSchema);
}

/**
 * Loads packs by built-in name (`config/rules/<name>.yaml`, or `options.dir`) or by path.
 * An empty list loads {@link DEFAULT_RULE_PACKS}. Throws {@link RulePackError} naming the file,
 * key path and line of every problem; two packs with the same `pack` name are an error.
 */
export function loadRulePacks(names: readonly string[], options: { dir?: string } = {}): RulePack[] {
  const list = names.length > 0 ? names : DEFAULT_RULE_PACKS;
  const packs: RulePack[] = [];
  const byName = new Map<string, string>();
  const loadedFiles = new Set<string>();
  const load = (name: string, includedBy?: string) => {
    const file = resolvePackPath(name, options.dir);
    // A pack included by another and also listed in the config is loaded once.
    if (loadedFiles.has(file)) return;
    loadedFiles.add(file);
    const pack = loadRulePackFile(file);
    const other = byName.get(pack.pack);
    if (other !== undefined) {
      throw new RulePackError(file, [{ path: 'pack', message: `pack name "${pack.pack}" is already used by ${other}` }]);
    }
    byName.set(pack.pack, includedBy ? `${file} (included by ${includedBy})` : file);
    packs.push(pack);
    for (const included of pack.include ?? []) load(included, pack.pack);
  };
  for (const name of list) load(name);
  return packs;
}

let gazetteerCache: Gazetteer | undefined;

/** Loads a gazetteer file (default: the built-in `config/rules/gazetteer.yaml`, cached). */
export function loadGazetteer(file?: string): Gazetteer {
  if (file !== undefined) return parseYamlFile(file, gazetteerSchema);
  gazetteerCache ??= parseYamlFile(join(builtinRulesDir(), 'gazetteer.yaml'), gazetteerSchema);
  return gazetteerCache;
}
