/**
 * A digest job that fails half way (one target down) is retried by BullMQ: the retry must
 * send to the targets still missing it, not again to those that already got it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import type { Notifier } from '../../../src/notify/index.js';
import { createAlertStore } from '../../../src/store/index.js';
import { processDigest } from '../../../workers/digest.js';
import type { Runtime } from '../../../workers/runtime.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { makeAlert } from '../../unit/pipeline/support.js';

const handles: TestRedis[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.cleanup()));
});

function noticeRecorder(platform: 'discord' | 'slack', failFirst: boolean) {
  const sent: string[] = [];
  let fail = failFirst;
  const notifier: Notifier = {
    platform,
    post: () => Promise.reject(new Error('unused')),
    edit: () => Promise.reject(new Error('unused')),
    notice(channel) {
      if (fail) {
        fail = false;
        return Promise.reject(new Error(`${platform} is down`));
      }
      sent.push(channel);
      return Promise.resolve();
    },
  };
  return { notifier, sent };
}

describe('processDigest retries', () => {
  it('sends each target its digest once when a retry follows a partial failure', async () => {
    const h = createTestRedis();
    handles.push(h);
    const alerts = createAlertStore(h.redis, { prefix: h.prefix });
    await alerts.save(makeAlert({ discoveredAt: new Date().toISOString() }));
    const discord = noticeRecorder('discord', false);
    const slack = noticeRecorder('slack', true);
    const runtime = {
      config: {
        routes: [{ when: { decision: 'alert' }, to: ['discord:111111111111111111', 'slack:C1'], digest: { at: '08:00', timezone: 'UTC' } }],
      },
      env: { prefix: h.prefix },
      redis: h.redis,
      alerts,
      notifiers: { discord: discord.notifier, slack: slack.notifier },
      log: { info: () => undefined, warn: () => undefined },
    } as unknown as Runtime;
    const job = { id: 'repeat:digest:0:1767225600000', name: 'digest', data: { route: 0 } } as unknown as Job;

    await expect(processDigest(runtime, job)).rejects.toThrow('slack is down');
    await processDigest(runtime, job);

    expect(discord.sent).toEqual(['111111111111111111']);
    expect(slack.sent).toEqual(['C1']);
  });
});
