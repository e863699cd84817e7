/** YAML parsing with line numbers and `${VAR}` interpolation from an environment. */
import { LineCounter, isMap, isScalar, isSeq, parse as parseYaml, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigIssue } from './errors.js';
import { formatPath } from './errors.js';
import type { EnvSource } from './env.js';

/** A parsed YAML file that can answer "which line holds this key path?". */
export interface YamlFile {
  /** The file as named in messages. */
  label: string;
  doc: Document;
  /** Plain JS value after interpolation (undefined for an empty file). */
  value: unknown;
  lineOf(path: readonly PropertyKey[], key?: string): number | undefined;
}

type Path = (string | number)[];

const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const VARIABLE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in one string. `$${…}` stays literal.
 * A default applies when the variable is unset or empty, as in the shell.
 */
export function interpolate(text: string, env: EnvSource): { value: string; missing: string[]; malformed: string[] } {
  const missing: string[] = [];
  const malformed: string[] = [];
  const value = text.replace(REFERENCE, (whole, escaped: string, inner: string) => {
    if (escaped) return whole.slice(1);
    const match = VARIABLE.exec(inner);
    if (!match) {
      malformed.push(whole);
      return whole;
    }
    const [, name = '', fallback] = match;
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    missing.push(name);
    return '';
  });
  return { value, missing, malformed };
}

function lineAt(counter: LineCounter, node: Node | undefined | null): number | undefined {
  const offset = node?.range?.[0];
  return offset === undefined ? undefined : counter.linePos(offset).line;
}

/** Walks every scalar value (not keys), with its key path. */
function walk(node: unknown, path: Path, visit: (node: Node, path: Path) => void): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      walk(pair.value, [...path, key], visit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => walk(item, [...path, index], visit));
  } else if (isScalar(node)) {
    visit(node, path);
  }
}

/**
 * Parses YAML text, interpolates string values from `env` and reports syntax errors and
 * unset variables as issues (all of them, with lines).
 */
export function readYaml(
  text: string,
  label: string,
  env: EnvSource,
): { file: YamlFile; issues: ConfigIssue[]; syntaxErrors: number; interpolatedPaths: Set<string> } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true });
  const issues: ConfigIssue[] = [];
  // After the first syntax error the parser is out of step and the rest are echoes of it.
  const [firstError] = doc.errors;
  if (firstError) {
    const line = firstError.linePos?.[0]?.line;
    let message = firstError.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? firstError.message;
    if (line !== undefined && /\$\{/.test(text.split('\n')[line - 1] ?? '')) {
      message += ' (inside { } or [ ], quote ${…} references: "${VAR}")';
    }
    if (doc.errors.length > 1) message += `; ${doc.errors.length - 1} more YAML error(s) may follow from it`;
    issues.push({ file: label, ...(line !== undefined && { line }), path: '(syntax)', message });
  }

  const interpolatedPaths = new Set<string>();
  walk(doc.contents, [], (node, path) => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('${')) return;
    const original = node.value;
    const result = interpolate(original, env);
    const line = lineAt(counter, node);
    const where = { file: label, ...(line !== undefined && { line }), path: formatPath(path) };
    if (result.missing.length > 0 || result.malformed.length > 0) interpolatedPaths.add(where.path);
    for (const name of result.missing) {
      issues.push({ ...where, message: `\${${name}} is not set (set ${name} in the environment or write \${${name}:-default})` });
    }
    for (const bad of result.malformed) {
      issues.push({ ...where, message: `${bad} is not a variable reference (write \${NAME} or \${NAME:-default})` });
    }
    node.value = result.value;
    // An unquoted `key: ${VAR}` takes the type the value would have had if written literally,
    // so `allowPrivateNetworks: ${ALLOW:-false}` is a boolean and `maxRedirects: ${N:-5}` a number.
    if (node.type === 'PLAIN' && /^\$\{[^}]*\}$/.test(original.trim())) {
      try {
        const typed: unknown = parseYaml(result.value);
        if (typed === null || ['number', 'boolean'].includes(typeof typed)) node.value = typed;
      } catch {
        // Not a scalar YAML value: keep the string.
      }
    }
  });

  const value: unknown = doc.errors.length === 0 ? doc.toJS({ maxAliasCount: 100 }) : undefined;
  return {
    issues,
    syntaxErrors: doc.errors.length,
    interpolatedPaths,
    file: {
      label,
      doc,
      value: value ?? undefined,
      lineOf(path, key) {
        for (let depth = path.length; depth >= 0; depth--) {
          const node: unknown = doc.getIn(path.slice(0, depth), true);
          if (node === undefined && depth > 0) continue;
          const container = depth === 0 ? doc.contents : node;
          if (depth === path.length && key !== undefined && isMap(container)) {
            const pair = container.items.find((item) => isScalar(item.key) && item.key.value === key);
            if (pair && isScalar(pair.key)) return lineAt(counter, pair.key);
          }
          return lineAt(counter, container as Node | null);
        }
        return undefined;
      },
    },
  };
}
