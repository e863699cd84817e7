/**
 * A chat moderation client that never finishes connecting (Slack unreachable at boot: Bolt
 * retries for hours) must not hold up startup — alerts come first — and is stopped with the
 * bot if it connects late.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, loadEnv } from '../../../src/config/index.js';
import { createLogger } from '../../../src/infra/index.js';
import { startBot } from '../../../workers/main.js';
import { createTestRedis, testRedisUrl, type TestRedis } from '../../helpers/redis.js';

let t: TestRedis | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

describe('moderation clients at startup', () => {
  it('goes on without a client that is still connecting, and stops it when it arrives late', async () => {
    t = createTestRedis();
    const rawEnv = {
      REDIS_URL: testRedisUrl(),
      REFWATCH_PREFIX: t.prefix,
      HTTP_PORT: 'off',
      REFWATCH_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'refwatch-ext-')),
    };
    const logs: string[] = [];
    let release!: () => void;
    const connected = new Promise<void>((resolve) => (release = resolve));
    let stoppedLate = false;

    const started = Date.now();
    const bot = await startBot({
      env: loadEnv(rawEnv),
      rawEnv,
      config: { ...loadConfig({ env: rawEnv }), sources: [] },
      roles: ['poll', 'analyze', 'notify'],
      log: createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(line) } }),
      extensionStartTimeoutMs: 300,
      extensions: [
        async () => {
          await connected;
          return { stop: async () => void (stoppedLate = true) };
        },
      ],
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(bot.workers.length).toBe(3);
    expect(logs.join('\n')).toContain('still connecting');
    expect(logs.join('\n')).toContain('Refoulement Watch running');

    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await bot.stop();
    expect(stoppedLate).toBe(true);
  });
});
