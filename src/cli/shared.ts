/** Helpers shared by the commands: configuration, the classifier, fetch options, input lines. */
import path from 'node:path';
import { createInterface } from 'node:readline';
import { InvalidArgumentError } from 'commander';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { loadConfig, loadEnv, type Config, type Env } from '../config/index.js';
import type { ClassifyInput } from '../domain/index.js';
import { compileClassifier, loadRulePacks, type Classifier } from '../rules/index.js';
import type { CliIO } from './io.js';

/** The environment and config a command runs with. */
export interface Loaded {
  env: Env;
  config: Config;
}

/** `--config FILE`, else REFWATCH_CONFIG, else the built-in defaults. Throws ConfigError/EnvError. */
export function loadFor(io: CliIO, configFile: string | undefined): Loaded {
  const env = loadEnv(io.env);
  const file = configFile ?? env.configFile;
  const config = loadConfig({ env: io.env, cwd: io.cwd, ...(file !== undefined && { file }) });
  return { env, config };
}

/** Splits `--packs a,b` into names; paths are taken relative to the working directory. */
export function parsePackList(text: string, cwd: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map((name) => (name.includes('/') || name.includes('\\') || /\.ya?ml$/i.test(name) ? path.resolve(cwd, name) : name));
}

/** Loads the rule packs (config's, or `--packs`) and compiles one classifier. Throws RulePackError. */
export function buildClassifier(config: Config, packs: string[] | undefined): Classifier {
  const loaded = loadRulePacks(packs ?? config.rules.packs);
  return compileClassifier(loaded, config.rules.thresholds);
}

/** One line of `classify`/`eval` input. Extra keys are allowed (and ignored). */
export const inputLineSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  title: z.string(),
  text: z.string(),
  url: z.string().optional(),
  lang: z.string().optional(),
  source: z.string().optional(),
  published: z.string().optional(),
});

export type InputLine = z.output<typeof inputLineSchema>;

/** What the rules see for an input line. */
export function toClassifyInput(line: { title: string; text: string; lang?: string | undefined }): ClassifyInput {
  return { title: line.title, text: line.text, ...(line.lang !== undefined && { lang: line.lang }) };
}

/** A line that could not be used, with the id when it was readable. */
export interface LineProblem {
  line: number;
  id?: string;
  error: string;
}

/** Parses one JSON Lines record against a schema; never throws. */
export function parseLine<T extends z.ZodType>(
  schema: T,
  text: string,
  lineNumber: number,
): { ok: true; value: z.output<T> } | { ok: false; problem: LineProblem } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: { line: lineNumber, error: `line ${lineNumber}: not JSON (${(error as Error).message})` } };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const rawId = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined;
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : undefined;
  const details = result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(line)'}: ${issue.message}`).join('; ');
  return { ok: false, problem: { line: lineNumber, ...(id !== undefined && { id }), error: `line ${lineNumber}: ${details}` } };
}

/** Non-empty lines of a stream, one at a time (never the whole input in memory). */
export async function* readLines(input: Readable): AsyncGenerator<{ text: string; number: number }> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() !== '') yield { text: line, number };
  }
}

/** Parses a number option in [0, 1] (commander argParser). */
export function ratio(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
      throw new InvalidArgumentError(`${name} must be a number from 0 to 1 (got "${value}")`);
    }
    return n;
  };
}
