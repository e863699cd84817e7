import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Thrown when no Redis answers and none can be started. The message says how to get one. */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

/**
 * True when something at `url` answers a Redis PING (a NOAUTH reply counts: it is a Redis).
 * Uses a raw socket so it never hangs on ioredis' reconnect loop.
 */
export async function pingRedis(url: string, timeoutMs = 1000): Promise<boolean> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const host = parsed.hostname || '127.0.0.1';
  const port = Number(parsed.port || 6379);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH|-ERR)/.test(data.toString('latin1'))));
  });
}

export interface EmbeddedRedisOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Data directory; created if missing. */
  dir: string;
  appendonly: boolean;
  /** Path or name of the redis-server binary. */
  binary?: string;
}

export interface EmbeddedRedis {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `redis-server` bound to 127.0.0.1 and waits until it answers. */
export async function startEmbeddedRedis(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const port = options.port && options.port > 0 ? options.port : await freePort();
  mkdirSync(options.dir, { recursive: true });
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    options.dir,
    '--save',
    '',
    '--appendonly',
    options.appendonly ? 'yes' : 'no',
    // BullMQ needs keys never to be evicted (RELIABILITY #7).
    '--maxmemory-policy',
    'noeviction',
  ];
  const child = spawn(options.binary ?? 'redis-server', args, { stdio: 'ignore' });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const failed = await Promise.race([spawnError, sleep(100).then(() => undefined)]);
    if (failed) {
      throw new RedisUnavailableError(`Could not start redis-server (${failed.message}). ${HOW_TO_GET_REDIS}`);
    }
    if (child.exitCode !== null) {
      throw new RedisUnavailableError(`redis-server exited with code ${child.exitCode} on port ${port}.`);
    }
    if (await pingRedis(url, 500)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new RedisUnavailableError(`redis-server on port ${port} did not answer within 10 s.`);
    }
  }
  return {
    url,
    port,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export const HOW_TO_GET_REDIS =
  'Refoulement Watch needs Redis 6.2 or newer. Either set REDIS_URL to a running Redis, ' +
  'install redis-server so one can be started for you (Debian/Ubuntu: `sudo apt-get install redis-server`; ' +
  'macOS: `brew install redis`), or run `docker compose up` which brings its own.';

export interface EnsureRedisOptions {
  /** REDIS_URL when the user set one; undefined means "use the default or embed". */
  url: string | undefined;
  defaultUrl: string;
  embedded: Omit<EmbeddedRedisOptions, 'port'>;
  onEmbeddedStart?: (redis: EmbeddedRedis) => void;
}

/**
 * Finds a Redis to use: the configured URL (must answer), else the default URL,
 * else an embedded redis-server. Throws RedisUnavailableError with instructions otherwise.
 */
export async function ensureRedis(options: EnsureRedisOptions): Promise<{ url: string; embedded?: EmbeddedRedis }> {
  if (options.url) {
    if (await pingRedis(options.url, 2000)) return { url: options.url };
    throw new RedisUnavailableError(
      `No Redis answers at REDIS_URL=${redactUrl(options.url)}. Start it, fix REDIS_URL, or unset it to use an embedded redis-server.`,
    );
  }
  if (await pingRedis(options.defaultUrl, 1000)) return { url: options.defaultUrl };
  const embedded = await startEmbeddedRedis({ ...options.embedded, port: 0 });
  options.onEmbeddedStart?.(embedded);
  return { url: embedded.url, embedded };
}

/** Hides the password in a redis:// URL for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
