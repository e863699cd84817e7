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

// Escape sequences first (CSI, OSC, two-byte), so their parameters do not survive as visible text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ESCAPE_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]?|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]?/g;
// C0 except tab and newline, DEL, C1 (\u009b is an 8-bit CSI), and bidi overrides/isolates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Makes text safe for a terminal: feed titles, snippets, server error text and chat names reach
 * `check`/`scan`/`sources` output, and an escape sequence there could retitle the window, clear the
 * screen or rewrite earlier lines (`\r` too). Keeps newlines, tabs and all printable text.
 */
export function terminalSafe(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/**
 * Writes human-readable text with {@link terminalSafe} applied, waiting for the stream to drain
 * when its buffer is full (large outputs, pipes). Machine output (JSON Lines) goes through
 * {@link writeRaw}: JSON already escapes control characters and must stay byte-exact.
 */
export function write(stream: Writable, text: string): Promise<void> {
  return writeRaw(stream, terminalSafe(text));
}

/** Writes text as given (no sanitising), waiting for the stream to drain when its buffer is full. */
export async function writeRaw(stream: Writable, text: string): Promise<void> {
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
  return writeRaw(stream, `${JSON.stringify(value)}\n`);
}
