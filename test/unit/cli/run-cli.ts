/** Runs `refwatch` in-process with captured streams (shared by the CLI tests). */
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../../src/cli/program.js';
import type { CliIO } from '../../../src/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs argv with `stdin` as input; env defaults to empty (no REFWATCH_CONFIG leaks in). */
export async function run(
  argv: string[],
  options: { stdin?: string | Readable; env?: Record<string, string>; cwd?: string; runScanLive?: CliIO['runScanLive'] } = {},
): Promise<CliRun> {
  const out = capture();
  const err = capture();
  const stdin = typeof options.stdin === 'string' || options.stdin === undefined ? Readable.from([options.stdin ?? '']) : options.stdin;
  const code = await runCli(argv, {
    stdin,
    stdout: out.stream,
    stderr: err.stream,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    ...(options.runScanLive !== undefined && { runScanLive: options.runScanLive }),
  });
  // Let the PassThrough deliver what was written before reading it.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: out.text(), stderr: err.text() };
}

/** The JSON Lines of a run's stdout. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Absolute path of a file in test/unit/cli/fixtures. */
export function fixture(name: string): string {
  return new URL(`./fixtures/${name}`, import.meta.url).pathname;
}
