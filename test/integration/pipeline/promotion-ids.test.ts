/**
 * A moderator's confirm promotes a review item to an alert and queues posts for the alert
 * routes. Those posts must share their job id with the analyze stage's posts for the same
 * (alert, target): two different ids let two jobs post one alert twice when they run at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Route } from '../../../src/config/types.js';
import { postJobId } from '../../../src/queue/index.js';
import { createAlertStore, createChatSourceStore, createFetchStateStore } from '../../../src/store/index.js';
import { createTriageService, type KeyedNotifyJob } from '../../../src/triage/index.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { makeAlert } from '../../unit/pipeline/support.js';

const handles: TestRedis[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.cleanup()));
});

const ROUTES: Route[] = [
  { when: { decision: 'review' }, to: ['discord:200'] },
  { when: { decision: 'alert' }, to: ['discord:100', 'slack:C-ALERTS'] },
];

describe('triage promotion', () => {
  it('queues its posts under the same job ids as the analyze stage', async () => {
    const h = createTestRedis();
    handles.push(h);
    const alerts = createAlertStore(h.redis, { prefix: h.prefix });
    const queued: KeyedNotifyJob[] = [];
    const service = createTriageService({
      redis: h.redis,
      prefix: h.prefix,
      alerts,
      routes: ROUTES,
      moderators: { discordRoles: [], slackUsers: [], escalationRoles: [] },
      enqueueNotify: (jobs) => Promise.resolve(void queued.push(...jobs)),
      classifier: {
        classify: () => ({ decision: 'ignore', score: 0, severity: 'low', rules: [], matches: [], entities: { people: [], places: [] } }),
      },
      fetchState: createFetchStateStore(h.redis, { prefix: h.prefix }),
      chatSources: createChatSourceStore(h.redis, { prefix: h.prefix }),
      configSources: [],
      fetchOptions: { timeoutMs: 1000, maxBytes: 1000, maxRedirects: 0, userAgent: 'test', allowPrivateNetworks: false },
      scheduleSource: () => Promise.resolve(),
      unscheduleSource: () => Promise.resolve(),
    });
    const review = makeAlert({ decision: 'review' });
    await alerts.save(review);
    await alerts.markPosted(review.id, 'discord:200', 'msg-review');

    const result = await service.act(review.id, 'confirm', { id: 'u1', name: 'mod', platform: 'discord' });

    expect(result.ok && result.promoted).toBe(true);
    const posts = queued.filter((q) => q.job.action === 'post');
    expect(posts.map((q) => q.job.target).sort()).toEqual(['discord:100', 'slack:C-ALERTS']);
    for (const { job, jobId } of posts) expect(jobId).toBe(postJobId(job.alertId, job.target));
  });
});
