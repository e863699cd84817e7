/** `refwatch scan`: poll every (or one) source once, classify, and say what would alert. */
import type { Command } from 'commander';
import type { Classification, Item, Source } from '../../domain/index.js';
import type { Classifier } from '../../rules/index.js';
import { fetchOptionsFor, fetchUrl, parseFeed, type FetchOptions } from '../../sources/index.js';
import { CliExit, EXIT, write, writeJsonLine, type CliIO } from '../io.js';
import { mapLimited } from '../limit.js';
import { buildClassifier, loadFor } from '../shared.js';

/** Sources fetched at once; per-host politeness comes from `fetch.perHostConcurrency`. */
const SCAN_CONCURRENCY = 6;

/** The `--json` line for one source. */
export interface ScanLine {
  source: string;
  ok: boolean;
  items: number;
  /** Items the rules flagged (alert or review). */
  matched: number;
  error: string | null;
}

interface Flagged {
  item: Item;
  result: Classification;
}

interface SourceScan {
  line: ScanLine;
  flagged: Flagged[];
}

interface ScanOptions {
  dryRun?: boolean;
  source?: string;
  json?: boolean;
  config?: string;
}

/** Fetches, parses and classifies one source; every failure becomes a value, never a throw. */
export async function scanSource(source: Source, options: FetchOptions, classifier: Classifier): Promise<SourceScan> {
  const fail = (error: string): SourceScan => ({ line: { source: source.id, ok: false, items: 0, matched: 0, error }, flagged: [] });
  try {
    const fetched = await fetchUrl(source.url, options);
    if (fetched.kind === 'error') return fail(`${fetched.code}: ${fetched.message}`);
    if (fetched.kind === 'not-modified') return fail('not-modified: 304 to an unconditional GET');
    const parsed = await parseFeed(fetched.text, source, fetched.url);
    if (parsed.kind === 'error') return fail(`parse: ${parsed.message}`);
    const flagged: Flagged[] = [];
    for (const item of parsed.items) {
      const lang = item.lang ?? source.lang;
      const result = classifier.classify({ title: item.title, text: item.text ?? item.summary, ...(lang !== undefined && { lang }) });
      if (result.decision !== 'ignore') flagged.push({ item, result });
    }
    return { line: { source: source.id, ok: true, items: parsed.items.length, matched: flagged.length, error: null }, flagged };
  } catch (error) {
    // A bug in one source's path must not end the scan of the others.
    return fail(`unexpected: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function textLine(line: ScanLine, width: number): string {
  const id = line.source.padEnd(width);
  return line.ok ? `ok    ${id}  ${line.items} items, ${line.matched} matched\n` : `FAIL  ${id}  ${line.error ?? 'failed'}\n`;
}

function flaggedLines(scans: SourceScan[]): string {
  const all = scans.flatMap((scan) => scan.flagged.map((f) => ({ ...f, source: scan.line.source })));
  const section = (decision: 'alert' | 'review', heading: string) => {
    const list = all.filter((f) => f.result.decision === decision).sort((a, b) => b.result.score - a.result.score);
    if (list.length === 0) return `\n${heading}: none\n`;
    const rows = list.map(
      ({ item, result, source }) =>
        `  [${result.severity} ${result.score}] ${item.title}\n    ${item.canonicalUrl ?? item.url ?? '(no link)'}  (${source}${item.published ? `, ${item.published}` : ''})\n`,
    );
    return `\n${heading}: ${list.length}\n${rows.join('')}`;
  };
  return section('alert', 'would alert') + section('review', 'would go to review');
}

async function run(io: CliIO, options: ScanOptions): Promise<void> {
  const { config, env } = loadFor(io, options.config);
  let sources = config.sources.filter((source) => source.enabled !== false);
  if (options.source !== undefined) {
    const one = config.sources.find((source) => source.id === options.source);
    if (!one) {
      throw new CliExit(
        EXIT.usage,
        `refwatch scan: no source "${options.source}" in the config; known: ${config.sources.map((s) => s.id).join(', ')}`,
      );
    }
    sources = [one];
  }
  if (!options.dryRun) {
    if (io.runScanLive) {
      const code = await io.runScanLive({ config, env, sources, json: options.json === true, io });
      if (code !== EXIT.ok) throw new CliExit(code);
      return;
    }
    await write(io.stderr, 'refwatch scan: posting scans need the pipeline (Redis, workers); running as --dry-run, nothing is posted.\n');
  }
  const classifier = buildClassifier(config, undefined);
  const fetchWith = fetchOptionsFor(config.fetch);
  const width = Math.max(...sources.map((source) => source.id.length), 6);
  const scans = await mapLimited(
    sources,
    { limit: SCAN_CONCURRENCY, perKey: config.fetch.perHostConcurrency, key: (source) => hostOf(source.url) },
    (source) => scanSource(source, fetchWith, classifier),
    (scan) => (options.json ? writeJsonLine(io.stdout, scan.line) : write(io.stdout, textLine(scan.line, width))),
  );
  if (!options.json) await write(io.stdout, flaggedLines(scans));
  const failed = scans.filter((scan) => !scan.line.ok).length;
  if (failed > 0) throw new CliExit(EXIT.failed, `refwatch scan: ${failed} of ${scans.length} source(s) failed`);
}

/** Registers `refwatch scan`. */
export function register(program: Command, io: CliIO): void {
  program
    .command('scan')
    .description('poll every source once, classify its items and print what would be alerted')
    .option('--dry-run', 'post nothing and use no Redis (the default until the pipeline is wired in)')
    .option('-s, --source <id>', 'scan only this source (even if disabled)')
    .option('--json', 'one JSON object per source: {source, ok, items, matched, error}')
    .option('-c, --config <file>', 'config file (default: $REFWATCH_CONFIG, else built-in defaults)')
    .addHelpText(
      'after',
      [
        '',
        'One line per source (ok with item and match counts, or the error), then the items that',
        'would alert or go to review. A failing source never stops the scan; the exit code is 1',
        'when any source failed.',
        '',
        'Examples:',
        '  $ refwatch scan --dry-run',
        '  $ refwatch scan --dry-run --source yonhap-en-nk --json',
        '',
      ].join('\n'),
    )
    .action((options: ScanOptions) => run(io, options));
}
