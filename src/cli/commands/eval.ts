/** `refwatch eval FILE.jsonl`: precision and recall of the rules over labelled items. */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { formatSummary, summarize, thresholdFailures, type Scored } from '../eval-metrics.js';
import { CliExit, EXIT, write, writeJsonLine, type CliIO } from '../io.js';
import { buildClassifier, inputLineSchema, loadFor, parseLine, parsePackList, ratio, readLines, toClassifyInput } from '../shared.js';

const labelledSchema = inputLineSchema.extend({
  label: z.boolean({ error: 'label must be true or false' }),
});

interface EvalOptions {
  config?: string;
  packs?: string;
  minRecall?: number;
  minPrecision?: number;
  json?: boolean;
}

async function run(io: CliIO, file: string, options: EvalOptions): Promise<void> {
  const { config } = loadFor(io, options.config);
  const classifier = buildClassifier(config, options.packs === undefined ? undefined : parsePackList(options.packs, io.cwd));
  const absolute = path.resolve(io.cwd, file);
  try {
    await access(absolute);
  } catch {
    throw new CliExit(EXIT.usage, `refwatch eval: cannot read ${file}: no such file`);
  }

  const scored: Scored[] = [];
  const problems: string[] = [];
  for await (const line of readLines(createReadStream(absolute))) {
    const parsed = parseLine(labelledSchema, line.text, line.number);
    if (!parsed.ok) {
      problems.push(parsed.problem.error);
      continue;
    }
    const result = classifier.classify(toClassifyInput(parsed.value));
    scored.push({
      id: parsed.value.id,
      title: parsed.value.title,
      label: parsed.value.label,
      decision: result.decision,
      score: result.score,
    });
  }
  // Metrics over a silently shortened file would mislead, so unusable lines stop the run.
  if (problems.length > 0) {
    throw new CliExit(EXIT.usage, `refwatch eval: ${file} has ${problems.length} unusable line(s):\n  ${problems.join('\n  ')}`);
  }
  if (scored.length === 0) throw new CliExit(EXIT.usage, `refwatch eval: ${file} has no labelled lines`);

  const summary = summarize(scored);
  const failures = thresholdFailures(summary, options.minRecall, options.minPrecision);
  if (options.json) {
    await writeJsonLine(io.stdout, { ...summary, pass: failures.length === 0, failures });
  } else {
    await write(io.stdout, formatSummary(summary));
  }
  if (failures.length > 0) throw new CliExit(EXIT.failed, `refwatch eval: FAILED: ${failures.join('; ')}`);
}

/** Registers `refwatch eval`. */
export function register(program: Command, io: CliIO): void {
  program
    .command('eval')
    .description('measure the rules on labelled JSON Lines ({id,title,text,label:true|false,…} per line)')
    .argument('<file>', 'labelled items, one JSON object per line')
    .option('--min-recall <r>', 'exit 1 when recall is under r (0-1)', ratio('--min-recall'))
    .option('--min-precision <p>', 'exit 1 when precision is under p (0-1)', ratio('--min-precision'))
    .option('--json', 'print the report as one JSON object')
    .option('-c, --config <file>', 'config file (default: $REFWATCH_CONFIG, else built-in defaults)')
    .option('-p, --packs <names>', "comma-separated rule packs (built-in names or YAML paths) instead of the config's")
    .addHelpText(
      'after',
      [
        '',
        'Flagged (alert or review) is the positive prediction: a review still reaches a moderator.',
        'Misses are true items decided ignore; false alerts are false items decided alert.',
        'Exit codes: 0 thresholds met, 1 under a threshold, 2 unreadable file or bad lines.',
        '',
        'Example:',
        '  $ refwatch eval test/fixtures/labelled.jsonl --min-recall 0.9 --min-precision 0.8',
        '',
      ].join('\n'),
    )
    .action((file: string, options: EvalOptions) => run(io, file, options));
}
