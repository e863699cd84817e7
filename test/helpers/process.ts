/**
 * Process-level test helpers: a throwaway redis-server per test (kill -9, restart on the same
 * port), a config file in a temp dir, and `node bin/refwatch.js start` as a child process whose
 * JSON log lines the test can wait on. Every child and server is tracked so `cleanupProcesses()`
 * ends exactly the ones this test file started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/infra/redis/embedded.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(REPO, 'bin', 'refwatch.js');

const children = new Set<ChildProcess>();
const servers = new Set<RedisServer>();
const dirs = new Set<string>();

/** A fresh temp dir, removed by cleanupProcesses(). */
export function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `refwatch-${label}-`));
  dirs.add(dir);
  return dir;
}

/**
 * Polls `check` until it returns something other than undefined/false; fails with `what` after
 * `timeoutMs`, adding the output of `bots` (what the processes said is what explains a timeout).
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
  bots: BotProcess[] = [],
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const logs = bots.map((bot, i) => `--- bot ${i + 1} (pid ${bot.child.pid}) ---\n${bot.output()}`).join('\n');
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${logs ? `\n${logs}` : ''}`);
    }
    const everyMs = 100;
    await sleep(everyMs);
  }
}

/** A redis-server owned by one test. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** A plain client for assertions (reconnects across restarts). */
  readonly client: Redis;
  /** SIGKILL, like a crash or OOM kill: nothing is flushed beyond what AOF already wrote. */
  kill9(): Promise<void>;
  /** Starts it again on the same port and data dir. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Starts redis-server on a free port (appendfsync everysec when appendonly). */
export async function startRedisServer(options: { appendonly: boolean }): Promise<RedisServer> {
  const dir = tempDir('redis');
  let current: EmbeddedRedis = await startEmbeddedRedis({ dir, appendonly: options.appendonly });
  const client = new Redis(current.url, { maxRetriesPerRequest: null, retryStrategy: () => 200 });
  client.on('error', () => undefined);
  const kill9 = async (): Promise<void> => {
    const child = current.process;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  const server: RedisServer = {
    url: current.url,
    port: current.port,
    dir,
    client,
    kill9,
    async restart() {
      current = await startEmbeddedRedis({ dir, appendonly: options.appendonly, port: server.port });
    },
    async close() {
      servers.delete(server);
      client.disconnect();
      const child = current.process;
      // stop() would wait for an exit event that a SIGKILLed server already emitted.
      if (child.exitCode === null && child.signalCode === null) await current.stop();
    },
  };
  servers.add(server);
  return server;
}

/** One source of the test config. */
export interface TestSource {
  id: string;
  url: string;
  /** Poll interval, e.g. "1s". */
  every: string;
}

/** Writes a config file: the sources, `allowPrivateNetworks: true`, alerts routed to one Discord channel. */
export function writeBotConfig(dir: string, input: { sources: TestSource[]; discordChannel: string }): string {
  const lines = [
    'fetch:',
    '  allowPrivateNetworks: true',
    '  timeout: 5s',
    'sources:',
    ...input.sources.map((s) => `  - { id: ${s.id}, type: rss, url: "${s.url}", every: ${s.every}, lang: en }`),
    'routes:',
    '  - when: { decision: [alert, review] }',
    `    to: ["discord:${input.discordChannel}"]`,
    'ops:',
    '  to: []',
  ];
  const file = path.join(dir, 'refwatch.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** One log line of the child (pino JSON), or its raw text when it is not JSON. */
export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
  json?: { level?: number; msg?: string; [key: string]: unknown };
}

export interface BotProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  /** Resolves with the exit code (null when killed by a signal) and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits for a line whose message (or raw text) matches. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<LogLine>;
  /** Everything the child printed, for failure messages. */
  output(): string;
  kill(signal: NodeJS.Signals): void;
}

export interface SpawnBotOptions {
  configFile: string;
  redisUrl: string | undefined;
  prefix: string;
  dataDir: string;
  discord?: { apiUrl: string; token: string };
  roles?: string;
  logLevel?: string;
  /** Extra variables (tuning knobs); `undefined` removes one. */
  env?: Record<string, string | undefined>;
}

/** Spawns `node bin/refwatch.js start --config FILE` with a clean, explicit environment. */
export function spawnBot(options: SpawnBotOptions): BotProcess {
  const env: Record<string, string | undefined> = { ...process.env };
  // Nothing from the developer's shell or the vitest setup may leak into the bot.
  for (const name of Object.keys(env)) {
    if (/^(REDIS_URL|REFWATCH_|DISCORD_|SLACK_|HTTP_PORT|ADMIN_|LOG_LEVEL)/.test(name)) delete env[name];
  }
  Object.assign(env, {
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    REFWATCH_PREFIX: options.prefix,
    REFWATCH_DATA_DIR: options.dataDir,
    LOG_LEVEL: options.logLevel ?? 'info',
    // Several bots run at once; a test that wants the health endpoint passes HTTP_PORT itself.
    HTTP_PORT: 'off',
    ...(options.discord ? { DISCORD_TOKEN: options.discord.token, DISCORD_API_URL: options.discord.apiUrl } : {}),
    ...options.env,
  });
  const args = [BIN, 'start', '--config', options.configFile, ...(options.roles ? ['--roles', options.roles] : [])];
  const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  const collect = (stream: 'stdout' | 'stderr') => {
    let rest = '';
    child[stream]?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const text of parts) {
        if (text.trim() === '') continue;
        let json: LogLine['json'];
        try {
          json = JSON.parse(text) as LogLine['json'];
        } catch {
          json = undefined;
        }
        lines.push({ stream, text, ...(json ? { json } : {}) });
      }
      for (const wake of waiters) wake();
    });
  };
  collect('stdout');
  collect('stderr');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
      for (const wake of waiters) wake();
    });
  });
  const output = () => lines.map((line) => `[${line.stream}] ${line.text}`).join('\n');
  return {
    child,
    lines,
    exited,
    output,
    kill: (signal) => child.kill(signal),
    async waitForLog(pattern, timeoutMs = 20_000) {
      const matches = (line: LogLine) => pattern.test(line.json?.msg ?? line.text);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(matches);
        if (found) return found;
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`bot exited before logging ${pattern}:\n${output()}`);
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`Timed out waiting for ${pattern} in the bot's log:\n${output()}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, Math.min(left, 500));
          waiters.add(wake);
        });
      }
    },
  };
}

/** Resolves with the exit status, or rejects when the child is still running after `timeoutMs`. */
export async function exitWithin(
  bot: BotProcess,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const started = Date.now();
  const result = await Promise.race([bot.exited, sleep(timeoutMs).then(() => undefined)]);
  if (!result) throw new Error(`bot did not exit within ${timeoutMs} ms:\n${bot.output()}`);
  return { ...result, ms: Date.now() - started };
}

/** SIGKILLs the children, stops the redis-servers and removes the temp dirs this file created. */
export async function cleanupProcesses(): Promise<void> {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  await Promise.all([...servers].map((server) => server.close().catch(() => undefined)));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}
