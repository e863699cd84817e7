import type { Readable, Writable } from 'node:stream';
import type { Config, Env, EnvSource } from '../config/index.js';
import type { Source } from '../domain/index.js';

/** What a posting (non-dry-run) scan is handed; the composition root wires the pipeline. */
export interface ScanLiveRequest {
  config: Config;
  env: Env;
  /** The sources selected for this scan (all enabled ones, or the one named by --source). */
  sources: Source[];
  json: boolean;
  io: CliIO;
}

/**
 * The process edges a command may touch. Commands never use `process.*` directly, so tests run
 * them in-process with their own streams, environment and working directory.
 */
export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: EnvSource;
  cwd: string;
  /**
   * Seam for `refwatch scan` without --dry-run: polls through the real pipeline (Redis, posting).
   * Returns the exit code. Absent → the scan says so and behaves like --dry-run.
   */
  runScanLive?: (request: ScanLiveRequest) => Promise<number>;
}

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  /** A threshold or check failed (eval under --min-recall, a source failed in scan …). */
  failed: 1,
  /** Bad usage, input file or configuration. */
  usage: 2,
} as const;

/**
 * Ends a command with an exit code (and an optional message for stderr). Thrown instead of
 * calling process.exit so in-process runs, tests and cleanup all keep working.
 */
export class CliExit extends Error {
  override readonly name = 'CliExit';
  constructor(
    readonly code: number,
    message = '',
  ) {
    super(message);
  }
}

/** Writes text, waiting for the stream to drain when its buffer is full (large outputs, pipes). */
export async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        stream.off('error', done);
        resolve();
      };
      stream.once('drain', done);
      stream.once('close', done);
      stream.once('error', done);
    });
  }
}

/** Writes one JSON Lines record. */
export function writeJsonLine(stream: Writable, value: unknown): Promise<void> {
  return write(stream, `${JSON.stringify(value)}\n`);
}
