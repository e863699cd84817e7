/** `refwatch export-labels`: moderators' confirm/dismiss decisions as labelled JSON Lines for `refwatch eval`. */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { readLabels, triageKeys, type LabelRecord } from '../../triage/index.js';
import { CliExit, EXIT, write, writeRaw, type CliIO } from '../io.js';
import { closeForCli, connectForCli } from './audit.js';

/**
 * One exported line: the `refwatch eval` input shape (`id,title,text,url?,source,label`) plus the
 * moderator's reason, who decided and when, and what the rules had said (for error analysis).
 */
export interface LabelLine {
  id: string;
  title: string;
  text: string;
  url?: string;
  source: string;
  label: boolean;
  reason?: string;
  by: string;
  at: string;
  decision: LabelRecord['decision'];
  score: number;
  rules: string[];
  terms: string[];
}

/** Maps a stored label record to its exported line (pure). */
export function toLabelLine(record: LabelRecord): LabelLine {
  const line: LabelLine = {
    id: record.id,
    title: record.title,
    text: record.text,
    source: record.sourceId,
    label: record.label,
    by: record.by,
    at: record.at,
    decision: record.decision,
    score: record.score,
    rules: record.rules,
    terms: [...new Set(record.matches.map((m) => m.term))],
  };
  if (record.url !== undefined) line.url = record.url;
  if (record.reason !== undefined) line.reason = record.reason;
  return line;
}

interface ExportOptions {
  out?: string;
}

async function run(io: CliIO, options: ExportOptions): Promise<void> {
  const { redis, env } = await connectForCli(io, 'export-labels');
  let records: LabelRecord[];
  try {
    records = await readLabels(redis, env.prefix);
  } finally {
    await closeForCli(redis);
  }
  const text = records.map((r) => `${JSON.stringify(toLabelLine(r))}\n`).join('');
  const confirmed = records.filter((r) => r.label).length;
  const summary = `${records.length} label(s): ${confirmed} confirmed (label true), ${records.length - confirmed} dismissed (label false)`;
  if (options.out === undefined) {
    await writeRaw(io.stdout, text); // JSON Lines: JSON.stringify already escaped control characters
  } else {
    const file = path.resolve(io.cwd, options.out);
    // Write beside the target, then rename: an interrupted export never leaves half a file for eval.
    const temp = `${file}.${process.pid}.tmp`;
    try {
      await writeFile(temp, text, 'utf8');
      await rename(temp, file);
    } catch (error) {
      throw new CliExit(EXIT.usage, `refwatch export-labels: cannot write ${options.out}: ${(error as Error).message}`);
    }
    await write(io.stderr, `Wrote ${summary} to ${options.out}.\n`);
  }
  if (records.length === 0) {
    await write(
      io.stderr,
      `No labels in ${triageKeys(env.prefix).labels()} yet: confirm or dismiss alerts in chat first (refwatch eval needs at least one line).\n`,
    );
  } else if (options.out === undefined) {
    await write(io.stderr, `Exported ${summary}.\n`);
  }
}

/** Registers `refwatch export-labels`. */
export function register(program: Command, io: CliIO): void {
  program
    .command('export-labels')
    .description("write moderators' confirm/dismiss decisions as labelled JSON Lines that `refwatch eval` reads")
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      [
        '',
        'Reads {REFWATCH_PREFIX}:labels from REDIS_URL. One line per decided alert:',
        '  {id,title,text,url,source,label,reason,by,at,decision,score,rules,terms}',
        'label is true for confirm, false for dismiss; text holds the matched snippets the alert kept.',
        '',
        'Example:',
        '  $ refwatch export-labels --out labels.jsonl && refwatch eval labels.jsonl --min-precision 0.8',
        '',
      ].join('\n'),
    )
    .action((options: ExportOptions) => run(io, options));
}
