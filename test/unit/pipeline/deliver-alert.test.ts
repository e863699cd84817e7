import { describe, expect, it } from 'vitest';
import type { Route } from '../../../src/config/types.js';
import type { Alert } from '../../../src/domain/index.js';
import { classifyDeliveryFailure, DeliveryError, discordNonce } from '../../../src/notify/index.js';
import { deliverAlert, DeliveryFailedError, type DeliverDeps, type NotifyJob } from '../../../src/pipeline/index.js';
import { createMemoryAlertStore, createMemoryTargetStateStore } from '../../../src/store/index.js';
import { fakeNotifier, makeAlert, makeSource, opsLog, sourceLookup, type FakeNotifierOptions } from './support.js';

const D = 'discord:111111111111111111';
const S = 'slack:C-ALERTS';

async function setup(options: { routes?: Route[]; discord?: FakeNotifierOptions; slack?: FakeNotifierOptions; alert?: Alert } = {}) {
  const alerts = createMemoryAlertStore();
  const targets = createMemoryTargetStateStore();
  const discord = fakeNotifier('discord', options.discord);
  const slack = fakeNotifier('slack', { withFindPosted: true, ...options.slack });
  const ops = opsLog();
  const alert = options.alert ?? makeAlert();
  await alerts.save(alert);
  const deps: DeliverDeps = {
    alerts,
    targets,
    notifiers: { discord, slack },
    routes: options.routes ?? [{ when: { decision: 'alert' }, to: [D, S] }],
    classifyFailure: classifyDeliveryFailure,
    warnOps: ops.warnOps,
    now: () => new Date('2026-03-01T12:00:00Z'),
  };
  const deliver = (target: string, action: NotifyJob['action'] = 'post') => deliverAlert(deps, { alertId: alert.id, target, action });
  return { deps, alerts, targets, discord, slack, ops, alert, deliver };
}

const posts = (calls: ReadonlyArray<{ op: string }>) => calls.filter((c) => c.op === 'post').length;

describe('deliverAlert: at most once per target', () => {
  it('posts, records the message id, and turns a replayed post into an edit', async () => {
    const t = await setup();

    const first = await t.deliver(D);
    const replay = await t.deliver(D);

    expect(first).toEqual({ kind: 'posted', messageId: 'm1', recovered: false });
    expect(replay).toEqual({ kind: 'edited', messageId: 'm1' });
    expect(t.discord.messages.size).toBe(1);
    expect(await t.alerts.getPosted(t.alert.id)).toEqual({ [D]: 'm1' });
    expect(await t.alerts.getPending(t.alert.id)).toEqual({});
  });

  it('sends a nonce that is the same on every attempt for (alert, target)', async () => {
    const t = await setup();
    t.discord.failNext(new DeliveryError({ platform: 'discord', status: 502 }, 'bad gateway'));

    await expect(t.deliver(D)).rejects.toBeInstanceOf(DeliveryFailedError);
    await t.deliver(D);

    const nonces = t.discord.calls.flatMap((c) => (c.op === 'post' ? [c.options.nonce] : []));
    expect(nonces).toEqual([discordNonce(t.alert.id, D), discordNonce(t.alert.id, D)]);
    expect(t.discord.messages.size).toBe(1);
  });

  it('skips an edit for a target with nothing posted yet', async () => {
    const t = await setup();
    const outcome = await t.deliver(S, 'edit');
    expect(outcome.kind).toBe('skipped');
    expect(t.slack.calls).toEqual([]);
  });

  it('edits the posted message with the latest alert', async () => {
    const t = await setup();
    await t.deliver(S);
    await t.alerts.save({ ...t.alert, alsoReportedBy: ['Paper'] });

    const outcome = await t.deliver(S, 'edit');

    expect(outcome).toEqual({ kind: 'edited', messageId: 'm1' });
    const edit = t.slack.calls.at(-1);
    expect(edit?.op === 'edit' && edit.alert.alsoReportedBy).toEqual(['Paper']);
  });

  it('recovers an ambiguous send from a pending marker with findPosted instead of posting again', async () => {
    const t = await setup();
    t.slack.loseNextAnswer();

    const lost = await t.deliver(S).catch((error: unknown) => error);
    const pending = await t.alerts.getPending(t.alert.id);
    const retried = await t.deliver(S);

    expect(lost).toBeInstanceOf(DeliveryFailedError);
    expect((lost as DeliveryFailedError).permanent).toBe(false);
    expect(Object.keys(pending)).toEqual([S]);
    expect(retried).toEqual({ kind: 'posted', messageId: 'm1', recovered: true });
    expect(posts(t.slack.calls)).toBe(1);
    expect(await t.alerts.getPosted(t.alert.id)).toEqual({ [S]: 'm1' });
    expect(await t.alerts.getPending(t.alert.id)).toEqual({});
  });

  it('posts again after a pending marker when findPosted finds nothing', async () => {
    const t = await setup();
    await t.alerts.markPending(t.alert.id, S, 1);

    const outcome = await t.deliver(S);

    expect(outcome).toMatchObject({ kind: 'posted', recovered: false });
    expect(t.slack.calls.map((c) => c.op)).toEqual(['find', 'post']);
  });

  it('brings a fresh message up to date when the story grew while it was being posted', async () => {
    const holder: { deps?: DeliverDeps } = {};
    const t = await setup({
      discord: {
        duringPost: async (alert) => {
          await holder.deps?.alerts.save({ ...alert, alsoReportedBy: ['Late Outlet'] });
        },
      },
    });
    holder.deps = t.deps;

    await t.deliver(D);

    expect(t.discord.calls.map((c) => c.op)).toEqual(['post', 'edit']);
    const edit = t.discord.calls[1];
    expect(edit?.op === 'edit' && edit.alert.alsoReportedBy).toEqual(['Late Outlet']);
  });

  it('passes the mention roles of the route, including routes on source tags', async () => {
    const t = await setup({ routes: [{ when: { tags: ['un'] }, to: [D], mentionRoles: ['123456789012345678'] }] });
    t.deps.sources = sourceLookup([makeSource(t.alert.sourceId, { tags: ['un'] })]);

    await t.deliver(D);

    const post = t.discord.calls[0];
    expect(post?.op === 'post' && post.options.mentionRoleIds).toEqual(['123456789012345678']);
  });
});

describe('deliverAlert: failures', () => {
  it('disables a target on 403, tells the operators, and skips it afterwards', async () => {
    const t = await setup();
    t.discord.failNext(new DeliveryError({ platform: 'discord', status: 403, code: 50013 }, 'Missing Permissions'));

    const outcome = await t.deliver(D);
    const later = await t.deliver(D);
    const slack = await t.deliver(S);

    expect(outcome).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('target disabled') as unknown });
    expect(await t.targets.isDisabled(D)).toBe(true);
    expect(later.kind).toBe('skipped');
    expect(posts(t.discord.calls)).toBe(1);
    expect(slack.kind).toBe('posted');
    expect(t.ops.messages).toHaveLength(1);
    expect(t.ops.messages[0]).toContain(`Delivery to ${D} is disabled`);
    expect(t.ops.messages[0]).toMatch(new RegExp(`refwatch targets --?enable ${D}`));
  });

  it('halts the whole platform on 401', async () => {
    const t = await setup();
    t.discord.failNext(new DeliveryError({ platform: 'discord', status: 401 }, 'Unauthorized'));

    await t.deliver(D);
    const otherChannel = await t.deliver('discord:999999999999999999');

    expect(await t.targets.isDisabled('platform:discord')).toBe(true);
    expect(otherChannel.kind).toBe('skipped');
    expect(posts(t.discord.calls)).toBe(1);
    expect(t.ops.messages[0]).toContain('DISCORD_TOKEN');
  });

  it('asks to wait on 429 without failing the job', async () => {
    const t = await setup();
    t.slack.failNext(new DeliveryError({ platform: 'slack', status: 429, code: 'ratelimited', retryAfterMs: 2500 }, 'rate limited'));
    expect(await t.deliver(S)).toMatchObject({ kind: 'wait', ms: 2500 });
    expect(await t.deliver(S)).toMatchObject({ kind: 'posted' });
    expect(t.slack.messages.size).toBe(1);
  });

  it('throws a permanent failure on other 4xx and a retryable one on 5xx', async () => {
    const t = await setup();
    t.discord.failNext(new DeliveryError({ platform: 'discord', status: 400, code: 50035 }, 'Invalid Form Body'));
    t.discord.failNext(new DeliveryError({ platform: 'discord', status: 503 }, 'unavailable'));

    const bad = await t.deliver(D).catch((error: unknown) => error);
    const down = await t.deliver(D).catch((error: unknown) => error);

    expect(bad).toBeInstanceOf(DeliveryFailedError);
    expect((bad as DeliveryFailedError).permanent).toBe(true);
    expect((bad as Error).message).toContain(D);
    expect(down).toBeInstanceOf(DeliveryFailedError);
    expect((down as DeliveryFailedError).permanent).toBe(false);
    expect(await t.targets.isDisabled(D)).toBe(false);
  });

  it('disables a target whose platform has no client, naming the variable to set', async () => {
    const t = await setup();
    t.deps.notifiers = {};
    const outcome = await t.deliver(S);
    expect(outcome).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('SLACK_BOT_TOKEN') as unknown });
    expect(await t.targets.isDisabled(S)).toBe(true);
  });

  it('fails permanently when the alert is gone and skips an invalid target', async () => {
    const t = await setup();
    await expect(deliverAlert(t.deps, { alertId: 'al_missing', target: D, action: 'post' })).rejects.toMatchObject({ permanent: true });
    expect(await t.deliver('pager:1')).toMatchObject({ kind: 'skipped' });
  });
});
