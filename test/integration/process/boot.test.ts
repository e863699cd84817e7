/**
 * Boot-time Redis checks: an evicting Redis is refused (RELIABILITY #7), and with no Redis at
 * all an embedded redis-server is started, or the error says how to get one. The no-Redis cases
 * run `startBot` in-process with an injected default URL: port 6379 may be taken on this machine.
 */
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, loadEnv } from '../../../src/config/index.js';
import { createLogger, pingRedis, RedisUnavailableError } from '../../../src/infra/index.js';
import { startBot, type RunningBot } from '../../../workers/main.js';
import { cleanupProcesses, exitWithin, spawnBot, startRedisServer, tempDir, writeBotConfig } from '../../helpers/process.js';
import { CHANNEL } from './fixtures.js';

let bot: RunningBot | undefined;

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await cleanupProcesses();
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A logger whose lines the test can read. */
function captureLog(): { log: ReturnType<typeof createLogger>; messages: () => string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return {
    log: createLogger({ level: 'info', destination }),
    messages: () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg),
  };
}

function inProcessOptions(dataDir: string) {
  const rawEnv = { REFWATCH_DATA_DIR: dataDir, REFWATCH_PREFIX: 'boot-test', HTTP_PORT: 'off' };
  return {
    env: loadEnv(rawEnv),
    rawEnv,
    roles: ['notify' as const],
    config: loadConfig({ env: rawEnv, text: 'sources: []\nroutes: []\n' }),
  };
}

describe('refwatch start: Redis at boot', () => {
  it('refuses a Redis that may evict keys, with a clear message and exit code 2', async () => {
    const redis = await startRedisServer({ appendonly: false });
    await redis.client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const dir = tempDir('evict');
    const child = spawnBot({
      configFile: writeBotConfig(dir, {
        sources: [{ id: 'never-polled', url: 'http://127.0.0.1:9/feed.xml', every: '1m' }],
        discordChannel: CHANNEL,
      }),
      redisUrl: redis.url,
      prefix: 'evict-test',
      dataDir: dir,
    });
    const exit = await exitWithin(child, 15_000);
    expect(exit.code, child.output()).toBe(2);
    const stderr = child.lines
      .filter((line) => line.stream === 'stderr')
      .map((line) => line.text)
      .join('\n');
    expect(stderr).toMatch(/maxmemory-policy is allkeys-lru/);
    expect(stderr).toMatch(/noeviction/);
    expect(stderr).not.toMatch(/unexpected error/);
    // Refused before creating anything: no queue, scheduler or state keys.
    expect(await redis.client.keys('evict-test*')).toEqual([]);
  }, 30_000);

  it('with no Redis at the default URL, starts an embedded redis-server and says so', async () => {
    const dataDir = tempDir('embedded');
    const defaultUrl = `redis://127.0.0.1:${await freePort()}`;
    const { log, messages } = captureLog();
    bot = await startBot({ ...inProcessOptions(dataDir), log, defaultRedisUrl: defaultUrl });

    const embedded = bot.embeddedRedis;
    expect(embedded, 'an embedded redis-server was started').toBeDefined();
    expect(bot.redisUrl).toBe(embedded?.url);
    expect(bot.redisUrl).not.toBe(defaultUrl);
    expect(await pingRedis(bot.redisUrl)).toBe(true);
    expect(messages().find((msg) => msg.startsWith(`No Redis at ${defaultUrl}`))).toMatch(
      new RegExp(`started an embedded redis-server at ${embedded?.url ?? '-'} \\(data in ${path.join(dataDir, 'redis')}\\)`),
    );
    expect(existsSync(path.join(dataDir, 'redis')), 'data kept under REFWATCH_DATA_DIR').toBe(true);

    await bot.stop();
    bot = undefined;
    expect(await pingRedis(embedded?.url ?? 'redis://127.0.0.1:1'), 'stopped with the bot').toBe(false);
  }, 30_000);

  it('a process running only some roles never embeds a private Redis', async () => {
    const defaultUrl = `redis://127.0.0.1:${await freePort()}`;
    const options = {
      ...inProcessOptions(tempDir('split')),
      log: captureLog().log,
      defaultRedisUrl: defaultUrl,
      allowEmbeddedRedis: false,
    };
    await expect(startBot(options)).rejects.toThrow(/split --roles must share one Redis: set REDIS_URL/);
  }, 30_000);

  it('with no Redis and no redis-server on PATH, the error says how to get one', async () => {
    const dataDir = tempDir('no-binary');
    const defaultUrl = `redis://127.0.0.1:${await freePort()}`;
    const { log } = captureLog();
    const savedPath = process.env.PATH;
    // spawn() looks redis-server up on PATH at call time; an empty dir stands for "not installed".
    process.env.PATH = tempDir('empty-path');
    let error: unknown;
    try {
      bot = await startBot({ ...inProcessOptions(dataDir), log, defaultRedisUrl: defaultUrl });
    } catch (err) {
      error = err;
    } finally {
      process.env.PATH = savedPath;
    }
    expect(error).toBeInstanceOf(RedisUnavailableError);
    const message = (error as Error).message;
    expect(message).toMatch(/Could not start redis-server/);
    expect(message).toMatch(/set REDIS_URL/);
    expect(message).toMatch(/apt-get install redis-server/);
    expect(message).toMatch(/docker compose up/);
  }, 30_000);
});
