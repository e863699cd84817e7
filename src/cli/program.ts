/** The `refwatch` commander program, built around injected I/O so commands run in-process. */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/index.js';
import { RuleCompileError, RulePackError } from '../rules/index.js';
import * as commands from './commands/index.js';
import * as audit from './commands/audit.js';
import * as exportLabels from './commands/export-labels.js';
import { CliExit, EXIT, terminalSafe, type CliIO } from './io.js';

/** A command module: `src/cli/commands/<name>.ts` exporting `register`. */
export interface CommandModule {
  register(program: Command, io: CliIO): void;
}

/**
 * Builds the program with every command in `./commands/index.ts` (adding a command is one
 * `export * as name from './name.js'` line there). Output goes to `io`, and commander never
 * exits the process: errors come back to {@link runCli} as exceptions.
 */
export function buildProgram(io: CliIO): Command {
  const program = new Command('refwatch')
    .description('Refoulement Watch: watch UN, NGO and news feeds for forced repatriation of North Korean escapees.')
    .exitOverride()
    .showHelpAfterError('(add --help for usage and an example)')
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    });
  program.addHelpText('after', '\nExample:\n  $ refwatch classify < items.jsonl\n  $ refwatch scan --dry-run\n');
  for (const command of Object.values(commands) as CommandModule[]) command.register(program, io);
  audit.register(program, io);
  exportLabels.register(program, io);
  return program;
}

/** Errors whose message is written for an operator: printed without a stack, exit 2. */
function isOperatorError(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof RulePackError || error instanceof RuleCompileError;
}

/**
 * Runs `refwatch` with `argv` (arguments after the program name) and returns the exit code:
 * 0 ok, 1 a threshold or check failed, 2 usage or configuration error.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0; everything else is usage.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliExit) {
      if (error.message !== '') io.stderr.write(`${terminalSafe(error.message)}\n`);
      return error.code;
    }
    if (isOperatorError(error)) {
      io.stderr.write(`${terminalSafe(error.message)}\n`);
      return EXIT.usage;
    }
    io.stderr.write(
      terminalSafe(
        `refwatch: unexpected error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      ),
    );
    return EXIT.failed;
  }
}
