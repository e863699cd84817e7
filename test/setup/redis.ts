import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureRedis, type EmbeddedRedis } from '../../src/infra/redis/embedded.js';

let embedded: EmbeddedRedis | undefined;

/** Finds Redis (REDIS_URL, else 127.0.0.1:6379) or starts a throwaway one, and shares its URL. */
export async function setup(): Promise<void> {
  const found = await ensureRedis({
    url: process.env.REDIS_URL,
    defaultUrl: 'redis://127.0.0.1:6379',
    embedded: { dir: mkdtempSync(path.join(tmpdir(), 'refwatch-test-redis-')), appendonly: false },
  });
  embedded = found.embedded;
  process.env.REDIS_URL = found.url;
  if (embedded) console.log(`[test] started embedded redis-server at ${found.url}`);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}
