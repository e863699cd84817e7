/**
 * Request/response over a forked child's IPC channel, for the benchmark's helper processes
 * (feed server, fake Discord, the bot under test). Each child serves a table of operations;
 * the parent calls them by name and gets the result or the child's error message back.
 *
 * Only node: built-ins here: the bot's process loads this file from the compiled output
 * (see bot-process.ts), where bare package imports would not resolve the same way.
 */
import { fork } from 'node:child_process';

/** A child's operations: one argument in, a (possibly async) JSON-serialisable value out. */
export type ChildOps = Record<string, (args: never) => unknown>;

type Envelope = { id: number; op: string; args?: unknown };
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
type Ready = { ready: unknown };

/** The parent's handle on a child serving `Ops`. */
export interface ChildHandle<Ops extends ChildOps, R> {
  readonly pid: number;
  /** What the child sent once it was ready. */
  readonly ready: R;
  /** Calls `op`; rejects when the child answers with an error, exits, or takes longer than a minute. */
  call<K extends keyof Ops & string>(op: K, ...args: Parameters<Ops[K]>): Promise<Awaited<ReturnType<Ops[K]>>>;
  /** {@link ChildHandle.call} with its own time limit. */
  callWithin<K extends keyof Ops & string>(timeoutMs: number, op: K, ...args: Parameters<Ops[K]>): Promise<Awaited<ReturnType<Ops[K]>>>;
  /** True once the child has exited. */
  exited(): boolean;
  /** Sends SIGTERM (then SIGKILL after `graceMs`) and resolves when the child is gone. */
  close(graceMs?: number): Promise<void>;
}

/** How to start a child. */
export interface ForkChildOptions {
  /** Shown in error messages, e.g. "feed server". */
  name: string;
  /** Node flags for the child; `[]` for plain node (fork would otherwise copy the parent's, tsx included). */
  execArgv: string[];
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** How long the child may take to report ready. @defaultValue 30 000 */
  startTimeoutMs?: number;
}

const DEFAULT_CALL_TIMEOUT_MS = 60_000;

/** Forks `file` and waits for its ready message (sent by {@link serveRequests}). */
export async function forkChild<Ops extends ChildOps, R = unknown>(file: string, options: ForkChildOptions): Promise<ChildHandle<Ops, R>> {
  const child = fork(file, options.args ?? [], {
    execArgv: options.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...(options.env ? { env: options.env } : {}),
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  let exitReason: string | undefined;
  let nextId = 1;
  const failAll = (reason: string) => {
    exitReason = reason;
    for (const [id, entry] of pending) {
      clearTimeout(entry.timer);
      entry.reject(new Error(`${options.name} process ${reason}`));
      pending.delete(id);
    }
  };
  child.on('exit', (code, signal) => failAll(`exited (code ${String(code)}, signal ${String(signal)})`));
  child.on('error', (error) => failAll(`failed: ${error.message}`));

  const ready = await new Promise<R>((resolve, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.name} process did not start within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} process exited before it was ready (code ${String(code)}); see its output above`));
    };
    child.once('exit', onExit);
    child.on('message', (message: Reply | Ready) => {
      if ('ready' in message) {
        clearTimeout(timer);
        child.removeListener('exit', onExit);
        resolve(message.ready as R);
        return;
      }
      const entry = pending.get(message.id);
      if (!entry) return;
      pending.delete(message.id);
      clearTimeout(entry.timer);
      if (message.ok) entry.resolve(message.value);
      else entry.reject(new Error(`${options.name}: ${message.error}`));
    });
  });

  const callWithin = <T>(timeoutMs: number, op: string, args: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exitReason !== undefined) {
        reject(new Error(`${options.name} process ${exitReason}`));
        return;
      }
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${options.name} did not answer "${op}" within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      child.send({ id, op, args } satisfies Envelope);
    });
  return {
    pid: child.pid ?? -1,
    ready,
    call: (op, ...args) => callWithin(DEFAULT_CALL_TIMEOUT_MS, op, args[0]),
    callWithin: (timeoutMs, op, ...args) => callWithin(timeoutMs, op, args[0]),
    exited: () => child.exitCode !== null || child.signalCode !== null,
    close(graceMs = 5000) {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/**
 * Child side: answers the parent's calls with `ops`, then reports `ready`. Ctrl-C reaches the
 * whole process group, so SIGINT is ignored here: the parent stops its children in order
 * (the bot must stop before its keys are deleted). `onExit` runs on SIGTERM or when the
 * parent disappears, before the process exits.
 */
export function serveRequests(ops: ChildOps, ready: unknown, onExit: () => Promise<void> | void = () => {}): void {
  let exiting = false;
  const exit = () => {
    if (exiting) return;
    exiting = true;
    Promise.resolve()
      .then(onExit)
      .catch((error: unknown) => process.stderr.write(`child cleanup failed: ${String(error)}\n`))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', () => {});
  process.on('SIGTERM', exit);
  process.on('disconnect', exit);
  process.on('message', (message: Envelope) => {
    const op = ops[message.op];
    Promise.resolve()
      .then(() => {
        if (!op) throw new Error(`unknown operation "${message.op}"`);
        return (op as (args: unknown) => unknown)(message.args);
      })
      .then(
        (value) => process.send?.({ id: message.id, ok: true, value } satisfies Reply),
        (error: unknown) =>
          process.send?.({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies Reply),
      );
  });
  process.send?.({ ready } satisfies Ready);
}
