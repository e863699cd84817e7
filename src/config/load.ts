/** loadConfig: YAML file → interpolated → merged over config/default.yaml → validated `Config`. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { Source } from '../domain/index.js';
import { ConfigError, formatPath, type ConfigIssue } from './errors.js';
import type { EnvSource } from './env.js';
import { KNOWN_KEYS, configFileSchema, type ConfigFile } from './schema.js';
import { closest } from './suggest.js';
import type { Config, Route } from './types.js';
import { parseDuration } from './units.js';
import { readYaml, type YamlFile } from './yaml-doc.js';

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The operator's config file; omitted → the built-in defaults alone. */
  file?: string;
  /** Variables for `${VAR}` interpolation (normally the process environment). */
  env: EnvSource;
  /** Resolves a relative `file` (default: process.cwd()). */
  cwd?: string;
  /** The YAML text of `file`, when the caller already has it (tests, stdin). */
  text?: string;
  /** Replaces the built-in config/default.yaml (tests). */
  defaultsFile?: string;
}

const MIN_EVERY_MS = 60_000;

/**
 * Finds config/default.yaml by walking up from this module, so it is found both from
 * `src/config/` (tsx) and from `dist/src/config/` (compiled; tsc does not copy YAML).
 */
export function defaultConfigPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'config', 'default.yaml');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`config/default.yaml not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; lists and scalars replace; null or absent falls back to the default. */
export function mergeOver(defaults: unknown, user: unknown): unknown {
  if (user === undefined || user === null) return defaults;
  if (!isPlainObject(defaults) || !isPlainObject(user)) return user;
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(user)) out[key] = mergeOver(defaults[key], value);
  return out;
}

/** Which file a merged key path came from: the user's unless the user left that branch out. */
function originOf(pathParts: readonly PropertyKey[], user: unknown, defaults: unknown): 'user' | 'defaults' {
  let u = user;
  let d = defaults;
  for (const part of pathParts) {
    if (Array.isArray(u)) return 'user'; // a user's list replaces the default list whole
    if (!isPlainObject(u)) return 'user';
    if (!(String(part) in u) || u[String(part)] === null) {
      return isPlainObject(d) && String(part) in d ? 'defaults' : 'user';
    }
    u = u[String(part)];
    d = isPlainObject(d) ? d[String(part)] : undefined;
  }
  return 'user';
}

function valueAt(root: unknown, pathParts: readonly PropertyKey[]): unknown {
  let cur = root;
  for (const part of pathParts) {
    if (isPlainObject(cur) || Array.isArray(cur)) cur = (cur as Record<string, unknown>)[String(part)];
    else return undefined;
  }
  return cur;
}

/** Checks that span several keys (zod sees one field at a time). Works on the raw merged value. */
function crossChecks(merged: unknown): { path: PropertyKey[]; message: string }[] {
  const problems: { path: PropertyKey[]; message: string }[] = [];
  const sources = valueAt(merged, ['sources']);
  const allowPrivate = valueAt(merged, ['fetch', 'allowPrivateNetworks']) === true;
  if (Array.isArray(sources)) {
    const firstIndex = new Map<string, number>();
    sources.forEach((source: unknown, index) => {
      if (!isPlainObject(source)) return;
      const { id, type, select, every } = source;
      if (typeof id === 'string') {
        const previous = firstIndex.get(id);
        if (previous === undefined) firstIndex.set(id, index);
        else
          problems.push({ path: ['sources', index, 'id'], message: `"${id}" is already used by sources[${previous}]; ids must be unique` });
      }
      if (type === 'html' && select === undefined) {
        problems.push({ path: ['sources', index], message: 'html sources need `select: { item, title, link }` (CSS selectors)' });
      }
      if (type !== 'html' && select !== undefined) {
        problems.push({ path: ['sources', index, 'select'], message: 'select is only used by html sources (set type: html or remove it)' });
      }
      const everyMs = typeof every === 'string' ? parseDuration(every) : undefined;
      if (everyMs !== undefined && everyMs < MIN_EVERY_MS && !allowPrivate) {
        problems.push({
          path: ['sources', index, 'every'],
          message: `"${String(every)}" is too often; poll at most once a minute (1m or more)`,
        });
      }
    });
  }
  const alert = valueAt(merged, ['rules', 'thresholds', 'alert']);
  const review = valueAt(merged, ['rules', 'thresholds', 'review']);
  if (typeof alert === 'number' && typeof review === 'number' && review > alert) {
    problems.push({
      path: ['rules', 'thresholds', 'review'],
      message: `review threshold (${review}) is above the alert threshold (${alert})`,
    });
  }
  return problems;
}

function isMissing(merged: unknown, pathParts: readonly PropertyKey[]): boolean {
  return valueAt(merged, pathParts) === undefined;
}

function toConfig(parsed: ConfigFile, file: string | undefined): Config {
  const sources: Source[] = parsed.sources.map((s) => ({
    id: s.id,
    type: s.type,
    url: s.url,
    everyMs: s.every,
    enabled: s.enabled,
    origin: 'config',
    ...(s.name !== undefined && { name: s.name }),
    ...(s.lang !== undefined && { lang: s.lang }),
    ...(s.timezone !== undefined && { timezone: s.timezone }),
    ...(s.backfill !== undefined && { backfill: s.backfill }),
    ...(s.fetchArticle !== undefined && { fetchArticle: s.fetchArticle }),
    ...(s.tags !== undefined && { tags: s.tags }),
    ...(s.select !== undefined && {
      select: {
        item: s.select.item,
        title: s.select.title,
        link: s.select.link,
        ...(s.select.date !== undefined && { date: s.select.date }),
        ...(s.select.summary !== undefined && { summary: s.select.summary }),
      },
    }),
  }));
  const routes: Route[] = parsed.routes.map((r) => ({
    when: {
      ...(r.when.decision !== undefined && { decision: r.when.decision }),
      ...(r.when.minSeverity !== undefined && { minSeverity: r.when.minSeverity }),
      ...(r.when.tags !== undefined && { tags: r.when.tags }),
      ...(r.when.sources !== undefined && { sources: r.when.sources }),
      ...(r.when.rules !== undefined && { rules: r.when.rules }),
    },
    to: r.to,
    ...(r.mentionRoles !== undefined && { mentionRoles: r.mentionRoles }),
    ...(r.digest !== undefined && { digest: r.digest }),
  }));
  const thresholds = parsed.rules.thresholds;
  return {
    fetch: {
      allowPrivateNetworks: parsed.fetch.allowPrivateNetworks,
      ...(parsed.fetch.allowAddresses !== undefined && { allowAddresses: parsed.fetch.allowAddresses }),
      timeoutMs: parsed.fetch.timeout,
      maxBytes: parsed.fetch.maxBytes,
      maxRedirects: parsed.fetch.maxRedirects,
      userAgent: parsed.fetch.userAgent,
      perHostConcurrency: parsed.fetch.perHostConcurrency,
      articleMinChars: parsed.fetch.articleMinChars,
    },
    sources,
    rules: {
      packs: parsed.rules.packs,
      ...(thresholds !== undefined && {
        thresholds: {
          ...(thresholds.alert !== undefined && { alert: thresholds.alert }),
          ...(thresholds.review !== undefined && { review: thresholds.review }),
        },
      }),
    },
    routes,
    ops: { to: parsed.ops.to },
    moderators: parsed.moderators,
    pipeline: {
      failuresBeforePause: parsed.pipeline.failuresBeforePause,
      seenRetentionDays: parsed.pipeline.seenRetentionDays,
      storyWindowDays: parsed.pipeline.storyWindowDays,
      pausedRetryMs: parsed.pipeline.pausedRetry,
    },
    ...(file !== undefined && { file }),
  };
}

function readText(file: string, label: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(`Cannot read config ${label}`, [{ file: label, path: '(file)', message: reason }]);
  }
}

function zodIssues(error: z.ZodError, merged: unknown): { path: PropertyKey[]; key?: string; message: string }[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const known = KNOWN_KEYS[issue.path.map((p) => (typeof p === 'number' ? '*' : String(p))).join('.')] ?? [];
      return issue.keys.map((key) => {
        const hint = closest(key, known);
        const list = known.length > 0 ? ` (known keys: ${known.join(', ')})` : '';
        return { path: issue.path, key, message: `unknown key "${key}"${hint ? `; did you mean "${hint}"?` : list}` };
      });
    }
    const message = issue.code === 'invalid_type' && isMissing(merged, issue.path) ? 'is required' : issue.message;
    return [{ path: issue.path, message }];
  });
}

/**
 * Loads the operator's YAML config over the built-in defaults and validates it.
 * Throws {@link ConfigError} listing every problem with file, line and key path.
 */
export function loadConfig(options: LoadConfigOptions): Config {
  const defaultsPath = options.defaultsFile ?? defaultConfigPath();
  const defaultsLabel = options.defaultsFile ?? 'config/default.yaml (built-in)';
  const defaults = readYaml(readText(defaultsPath, defaultsLabel), defaultsLabel, options.env);

  let user: YamlFile | undefined;
  const issues: ConfigIssue[] = [...defaults.issues];
  // Keys whose ${VAR} failed already have an issue; their (empty) value would only add noise.
  const interpolated = new Set(defaults.interpolatedPaths);
  let syntaxErrors = defaults.syntaxErrors;
  if (options.file !== undefined || options.text !== undefined) {
    const label = options.file ?? '(config)';
    const absolute = options.file === undefined ? undefined : path.resolve(options.cwd ?? process.cwd(), options.file);
    const read = readYaml(options.text ?? readText(absolute ?? '', label), label, options.env);
    user = read.file;
    issues.push(...read.issues);
    for (const key of read.interpolatedPaths) interpolated.add(key);
    syntaxErrors += read.syntaxErrors;
    if (read.syntaxErrors === 0 && user.value !== undefined && !isPlainObject(user.value)) {
      issues.push({
        file: label,
        line: 1,
        path: '(top level)',
        message: 'the config must be a mapping of keys (fetch, sources, routes …)',
      });
      syntaxErrors++;
    }
  }
  // Without a parsed document there is nothing to validate yet.
  if (syntaxErrors > 0) throw new ConfigError('Invalid configuration', issues);

  const merged = mergeOver(defaults.file.value, user?.value);
  const located: { path: PropertyKey[]; key?: string; message: string }[] = [];
  const parsed = configFileSchema.safeParse(merged);
  if (!parsed.success) located.push(...zodIssues(parsed.error, merged));
  located.push(...crossChecks(merged));

  for (const problem of located) {
    if (interpolated.has(formatPath(problem.path))) continue;
    const fromUser = user !== undefined && originOf(problem.path, user.value, defaults.file.value) === 'user';
    const file = fromUser && user ? user : defaults.file;
    const line = file.lineOf(problem.path, problem.key);
    const keyPath = problem.key === undefined ? problem.path : [...problem.path, problem.key];
    issues.push({ file: file.label, ...(line !== undefined && { line }), path: formatPath(keyPath), message: problem.message });
  }
  if (issues.length > 0 || !parsed.success) {
    // Report in file order, so the list reads top to bottom like the file.
    issues.sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : a.file === user?.label ? -1 : 1));
    throw new ConfigError('Invalid configuration', issues);
  }
  const config = toConfig(parsed.data, options.file);
  if (options.file !== undefined) {
    // Pack paths in a config file are relative to that file, like includes in most tools.
    const base = path.dirname(path.resolve(options.cwd ?? process.cwd(), options.file));
    config.rules.packs = config.rules.packs.map((name) => (looksLikePath(name) ? path.resolve(base, name) : name));
  }
  return config;
}

/** Same rule as the rule loader: a "/" or a .yaml/.yml suffix makes a pack name a path. */
function looksLikePath(name: string): boolean {
  return name.includes('/') || name.includes('\\') || /\.ya?ml$/i.test(name);
}
