/**
 * `npm run bench`: runs every benchmark, prints a summary table and writes the figures to
 * bench/results/latest.json (git-ignored).
 *   npm run bench -- [--only classify|pipeline] [--quick] [--no-build] [--heap-snapshot <dir>]
 * The pipeline benchmark builds the bot (`tsc -p tsconfig.build.json`) and measures it alone,
 * in its own `node` process (see bench/bot-process.ts). It needs Redis (REDIS_URL, else 127.0.0.1:6379, else an embedded
 * redis-server); it uses a fresh key prefix and deletes its keys at the end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { runClassifyBench } from './classify.js';
import { formatTable, type SummaryRow } from './measure.js';
import { PIPELINE_FULL, PIPELINE_QUICK, pipelineRows, runPipelineBench } from './pipeline.js';

// The pipeline runs first, while the machine is otherwise idle (its bot has its own process now).
const BENCHES = ['pipeline', 'classify'] as const;
type BenchName = (typeof BENCHES)[number];

/** Articles in the classifier corpus for a full and a quick run. */
const CLASSIFY_ITEMS = { full: 10_000, quick: 2000 } as const;

const RESULTS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');

interface ClassifyRun {
  mbPerCpuSec: number;
  mbPerSec: number;
  itemsPerSec: number;
  slowdown?: number;
}

/** Rows for the classifier's result; tolerant of fields its owner may rename. */
export function classifyRows(result: object): SummaryRow[] {
  const r = result as {
    default?: ClassifyRun;
    x10?: ClassifyRun;
    x100?: ClassifyRun;
    targets?: { mbPerSec?: number; maxSlowdownAt10x?: number };
  };
  const rows: SummaryRow[] = [];
  const mbTarget = r.targets?.mbPerSec ?? 20;
  const slowTarget = r.targets?.maxSlowdownAt10x ?? 2;
  if (r.default) {
    rows.push({
      bench: 'classify',
      metric: 'default packs',
      value: `${r.default.mbPerCpuSec} MB/CPU-s, ${r.default.itemsPerSec} items/s`,
      target: `≥ ${mbTarget} MB/s per core`,
      ok: r.default.mbPerCpuSec >= mbTarget,
    });
  }
  if (r.x10?.slowdown !== undefined) {
    rows.push({
      bench: 'classify',
      metric: '10× terms',
      value: `${r.x10.mbPerCpuSec} MB/CPU-s, ${r.x10.slowdown}× slower`,
      target: `≤ ${slowTarget}×`,
      ok: r.x10.slowdown <= slowTarget,
    });
  }
  if (r.x100?.slowdown !== undefined) {
    rows.push({ bench: 'classify', metric: '100× terms', value: `${r.x100.mbPerCpuSec} MB/CPU-s, ${r.x100.slowdown}× slower` });
  }
  return rows;
}

function log(line: string): void {
  process.stderr.write(`» ${line}\n`);
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('bench')
    .description('Runs the benchmarks, prints a summary and writes bench/results/latest.json.')
    .addOption(new Option('--only <bench>', 'run one benchmark').choices(BENCHES))
    .option('--quick', 'a smaller run (a minute or two instead of several)', false)
    .option('--no-build', 'pipeline: use the existing dist/ instead of running the build first')
    .option('--heap-snapshot <dir>', 'pipeline: write a heap snapshot of the bot after the notify drain into <dir>')
    .exitOverride();
  program.parse(argv);
  const options = program.opts<{ only?: BenchName; quick: boolean; build: boolean; heapSnapshot?: string }>();
  const selected = options.only ? [options.only] : [...BENCHES];

  const results: Record<string, unknown> = {};
  const rows: SummaryRow[] = [];
  let failed = false;
  for (const name of selected) {
    log(`${name}${options.quick ? ' (quick)' : ''}: running`);
    try {
      if (name === 'classify') {
        const result = await runClassifyBench({ items: options.quick ? CLASSIFY_ITEMS.quick : CLASSIFY_ITEMS.full });
        results.classify = result;
        rows.push(...classifyRows(result));
      } else {
        const sizes = options.quick ? PIPELINE_QUICK : PIPELINE_FULL;
        const result = await runPipelineBench(
          { ...sizes, skipBuild: !options.build, ...(options.heapSnapshot !== undefined ? { heapSnapshotDir: options.heapSnapshot } : {}) },
          log,
        );
        results.pipeline = result;
        rows.push(...pipelineRows(result));
      }
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? error.message : String(error);
      results[name] = { error: message };
      rows.push({ bench: name, metric: 'error', value: message.split('\n')[0] ?? message });
      log(`${name} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
    }
  }

  const report = {
    at: new Date().toISOString(),
    quick: options.quick,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 1e8) / 10,
      node: process.version,
    },
    results,
  };
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${formatTable(rows)}\n\nFigures written to ${path.relative(process.cwd(), RESULTS_FILE)}\n`);
  return failed ? 1 : 0;
}

main(process.argv).then(
  (code) => {
    // Exit explicitly: a lingering socket in a dependency must not keep the benchmark alive.
    process.exit(code);
  },
  (error: unknown) => {
    const code = (error as { code?: string }).code;
    // commander already printed help/usage for these.
    if (code === 'commander.helpDisplayed' || code === 'commander.version') process.exit(0);
    if (typeof code === 'string' && code.startsWith('commander.')) process.exit(2);
    console.error(error);
    process.exit(1);
  },
);
