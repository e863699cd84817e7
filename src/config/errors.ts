/** One problem found in a config file or the environment. */
export interface ConfigIssue {
  /** File the problem is in, as the operator named it (absent for the environment). */
  file?: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  /** Key path, e.g. `sources[3].every`, or the variable name for env problems. */
  path: string;
  message: string;
}

/** Formats a key path the way an operator writes it: `sources[3].select.item`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** `config.yaml:12 sources[3].every: "5 minutes" is not a duration …` */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.file === undefined ? '' : issue.line === undefined ? `${issue.file} ` : `${issue.file}:${issue.line} `;
  return `${where}${issue.path}: ${issue.message}`;
}

/**
 * An invalid configuration or environment. The message lists every problem at once
 * (one per line) so an operator can fix them in one pass instead of one per restart.
 */
export class ConfigError extends Error {
  override readonly name: string = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(heading: string, issues: readonly ConfigIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`${heading} (${count}):\n${issues.map((issue) => `  ${formatIssue(issue)}`).join('\n')}`);
    this.issues = issues;
  }
}

/** Invalid environment variables (see loadEnv). */
export class EnvError extends ConfigError {
  override readonly name = 'EnvError';
}
