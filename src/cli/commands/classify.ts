/** `refwatch classify`: JSON Lines in, one classification per line out. No Redis, no network. */
import type { Command } from 'commander';
import type { Classification } from '../../domain/index.js';
import { write, writeJsonLine, type CliIO } from '../io.js';
import { buildClassifier, inputLineSchema, loadFor, parseLine, parsePackList, readLines, toClassifyInput } from '../shared.js';

/** One output line of `refwatch classify` (the contract in DESIGN.md). */
export type ClassifyOutput = { id: string } & Classification;

interface ClassifyOptions {
  config?: string;
  packs?: string;
}

async function run(io: CliIO, options: ClassifyOptions): Promise<void> {
  const { config } = loadFor(io, options.config);
  const classifier = buildClassifier(config, options.packs === undefined ? undefined : parsePackList(options.packs, io.cwd));
  for await (const line of readLines(io.stdin)) {
    const parsed = parseLine(inputLineSchema, line.text, line.number);
    if (!parsed.ok) {
      // A bad line is reported in place (so outputs stay aligned with inputs) and skipped.
      const { id, error } = parsed.problem;
      await writeJsonLine(io.stdout, { ...(id !== undefined && { id }), error });
      await write(io.stderr, `refwatch classify: ${error}\n`);
      continue;
    }
    const result = classifier.classify(toClassifyInput(parsed.value));
    const output: ClassifyOutput = {
      id: parsed.value.id,
      decision: result.decision,
      score: result.score,
      severity: result.severity,
      rules: result.rules,
      matches: result.matches,
      entities: result.entities,
    };
    await writeJsonLine(io.stdout, output);
  }
}

/** Registers `refwatch classify`. */
export function register(program: Command, io: CliIO): void {
  program
    .command('classify')
    .description('classify JSON Lines items from stdin: {id,title,text,url?,lang?,source?,published?} per line')
    .option('-c, --config <file>', 'config file (default: $REFWATCH_CONFIG, else built-in defaults)')
    .option('-p, --packs <names>', "comma-separated rule packs (built-in names or YAML paths) instead of the config's")
    .addHelpText(
      'after',
      [
        '',
        'Writes one line per input line: {id,decision,score,severity,rules,matches,entities}.',
        'A line that is not valid gives {id?,error} in its place and a message on stderr.',
        '',
        'Examples:',
        '  $ refwatch classify < items.jsonl > decisions.jsonl',
        '  $ echo \'{"id":"1","title":"China forcibly repatriates 60 North Korean defectors","text":"..."}\' | refwatch classify',
        '',
      ].join('\n'),
    )
    .action((options: ClassifyOptions) => run(io, options));
}
