/** `refwatch targets`: list disabled targets, re-enable one, and replay what it missed. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/domain/index.js';
import { createAlertStore, createTargetStateStore } from '../../../src/store/index.js';
import { createTestRedis, testRedisUrl, type TestRedis } from '../../helpers/redis.js';
import { run } from '../../unit/cli/run-cli.js';

const ALERTS = 'discord:111111111111111111';
const REVIEW = 'discord:222222222222222222';

let t: TestRedis;
let env: Record<string, string>;

beforeEach(() => {
  t = createTestRedis();
  const dir = mkdtempSync(path.join(tmpdir(), 'refwatch-targets-'));
  const config = path.join(dir, 'config.yaml');
  writeFileSync(
    config,
    `routes:\n  - when: { decision: alert }\n    to: ["${ALERTS}"]\n  - when: { decision: review }\n    to: ["${REVIEW}"]\n`,
  );
  env = { REDIS_URL: testRedisUrl(), REFWATCH_PREFIX: t.prefix, REFWATCH_CONFIG: config };
});
afterEach(async () => {
  await t.cleanup();
});

function alert(id: string, decision: Alert['decision'], discoveredAt = new Date().toISOString()): Alert {
  return {
    id,
    storyId: `st-${id}`,
    decision,
    severity: 'high',
    score: 12,
    title: `Story ${id}`,
    sourceId: 'wire',
    sourceName: 'Wire',
    discoveredAt,
    matches: [],
    rules: [],
    entities: { people: [], places: [] },
    alsoReportedBy: [],
  };
}

describe('refwatch targets', () => {
  it('lists disabled targets with the reason, and says so when there are none', async () => {
    expect((await run(['targets'], { env })).stdout).toMatch(/No disabled targets/);
    await createTargetStateStore(t.redis, { prefix: t.prefix }).disable(ALERTS, 'Discord 403 Missing Permissions');
    const listed = await run(['targets'], { env });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${ALERTS}\tDiscord 403 Missing Permissions`);
  });

  it('re-enables a target and queues the recent alerts it missed, and only those', async () => {
    const targets = createTargetStateStore(t.redis, { prefix: t.prefix });
    const alerts = createAlertStore(t.redis, { prefix: t.prefix });
    await targets.disable(ALERTS, 'Discord 403');
    await alerts.save(alert('missed', 'alert'));
    await alerts.save(alert('posted', 'alert'));
    await alerts.markPosted('posted', ALERTS, 'msg-1');
    await alerts.save(alert('review-only', 'review'));
    await alerts.save(alert('old', 'alert', new Date(Date.now() - 3 * 86_400_000).toISOString()));

    const result = await run(['targets', '--enable', ALERTS, '--replay', '24h'], { env });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`${ALERTS} re-enabled`);
    expect(result.stdout).toContain(`1 alert from the last 24 h queued for ${ALERTS}`);
    expect(await targets.isDisabled(ALERTS)).toBe(false);

    const queue = new Queue('notify', { connection: t.redis, prefix: t.prefix });
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
    await queue.close();
    expect(jobs.map((job) => job.data)).toEqual([{ alertId: 'missed', target: ALERTS, action: 'post' }]);
  });

  it('refuses --replay without --enable, and enabling a target that was not disabled', async () => {
    expect((await run(['targets', '--replay', '24h'], { env })).code).toBe(2);
    const notDisabled = await run(['targets', '--enable', REVIEW], { env });
    expect(notDisabled.code).toBe(1);
    expect(notDisabled.stderr).toMatch(/was not disabled/);
  });
});
