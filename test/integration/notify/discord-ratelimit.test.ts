/**
 * RELIABILITY #10: Discord rate limits are per route and per channel (the major parameter).
 * The real @discordjs/rest client inside createDiscordNotifier posts to the local fake, whose
 * per-channel buckets answer X-RateLimit-* on every response and 429 + Retry-After when exhausted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordNotifier, discordNonce } from '../../../src/notify/index.js';
import { discordMessagesIn, startFakeDiscord, type DiscordRequestRecord, type FakeDiscord } from '../../fakes/discord-api.js';
import { buildAlert } from '../../unit/notify/alert-fixture.js';

const A = '411111111111111111';
const B = '422222222222222222';
const POSTS = 20;
const LIMIT_A = 5;

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

interface Outcome {
  channel: string;
  messageId: string;
  doneAt: number;
}

/** Fires 20 posts to A and 20 to B at once; resolves with when each finished, relative to the start. */
async function burst(discordFake: FakeDiscord): Promise<{ outcomes: Outcome[]; startedAt: number }> {
  const notifier = createDiscordNotifier({ token: discordFake.token, apiUrl: discordFake.apiUrl, timeoutMs: 5_000 });
  const startedAt = Date.now();
  const posts = [A, B].flatMap((channel) =>
    Array.from({ length: POSTS }, async (_, i): Promise<Outcome> => {
      const alert = buildAlert({ id: `al_rl_${channel.slice(0, 2)}_${i}`, title: `Burst ${i} to ${channel}` });
      const posted = await notifier.post(channel, alert, { nonce: discordNonce(alert.id, `discord:${channel}`) });
      return { channel, messageId: posted.messageId, doneAt: Date.now() - startedAt };
    }),
  );
  return { outcomes: await Promise.all(posts), startedAt };
}

function requestsTo(discordFake: FakeDiscord, channel: string): DiscordRequestRecord[] {
  return discordFake.requests.filter((r) => r.channel === channel);
}

/** The shared expectations: B unhindered, A paced by its bucket, ≤1 429 per window, UA, each post once. */
function expectPacedButIsolated(discordFake: FakeDiscord, outcomes: Outcome[], startedAt: number): void {
  const onA = outcomes.filter((o) => o.channel === A);
  const onB = outcomes.filter((o) => o.channel === B);

  // Each post exactly once: 20 accepted messages per channel, the ids returned are those messages.
  for (const [channel, mine] of [
    [A, onA],
    [B, onB],
  ] as const) {
    const ledger = discordMessagesIn(discordFake, channel);
    expect(ledger).toHaveLength(POSTS);
    expect(new Set(ledger.map((e) => e.nonce)).size).toBe(POSTS);
    expect(new Set(mine.map((o) => o.messageId))).toEqual(new Set(ledger.map((e) => e.id)));
  }

  // B is not slowed by A: all of B is done before A's exhausted window (1 s) even resets.
  expect(Math.max(...onB.map((o) => o.doneAt))).toBeLessThan(900);
  expect(requestsTo(discordFake, B).every((r) => r.status === 200)).toBe(true);

  // A is paced: nothing accepted before the reset, never more than the limit per window, so
  // 20 posts need at least four windows after the first.
  const acceptedA = requestsTo(discordFake, A).filter((r) => r.status === 200);
  const perWindow = new Map<number, number>();
  for (const r of acceptedA) perWindow.set(r.window ?? -1, (perWindow.get(r.window ?? -1) ?? 0) + 1);
  expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(LIMIT_A);
  expect(Math.max(...onA.map((o) => o.doneAt))).toBeGreaterThanOrEqual(3_000);
  expect(acceptedA.filter((r) => r.at - startedAt < 950).length).toBeLessThanOrEqual(1);

  // At most one 429 per window: the client learns the bucket from the headers instead of hammering.
  const limited = requestsTo(discordFake, A).filter((r) => r.status === 429);
  const limitedPerWindow = new Map<number, number>();
  for (const r of limited) limitedPerWindow.set(r.window ?? -1, (limitedPerWindow.get(r.window ?? -1) ?? 0) + 1);
  expect([...limitedPerWindow.values()].every((n) => n <= 1)).toBe(true);

  // Every request carried a valid User-Agent (the fake would 400 without it; check anyway).
  expect(discordFake.requests.length).toBeGreaterThanOrEqual(2 * POSTS);
  expect(discordFake.requests.every((r) => /^DiscordBot \(.+\)/.test(r.userAgent ?? ''))).toBe(true);
}

describe('Discord rate limits per channel (RELIABILITY #10)', () => {
  it('A answers "Remaining: 0, Reset-After: 1": A waits for its reset, B is untouched', { timeout: 20_000 }, async () => {
    fake = await startFakeDiscord({ buckets: { limit: 50, resetAfterSec: 1 } });
    // One request left: the first response on A reads Remaining: 0, Reset-After: 1.
    fake.setBucket(A, { remaining: 1, resetAfterSec: 1, limit: LIMIT_A });
    const { outcomes, startedAt } = await burst(fake);

    expectPacedButIsolated(fake, outcomes, startedAt);
    // The client knew the state from the headers, so it never ran into a 429 at all.
    expect(requestsTo(fake, A).filter((r) => r.status === 429)).toEqual([]);
  });

  it('A is already exhausted without warning: one 429, then paced by the headers', { timeout: 20_000 }, async () => {
    fake = await startFakeDiscord({ buckets: { limit: 50, resetAfterSec: 1 } });
    fake.setBucket(A, { remaining: 0, resetAfterSec: 1, limit: LIMIT_A });
    const { outcomes, startedAt } = await burst(fake);

    expectPacedButIsolated(fake, outcomes, startedAt);
    const limited = requestsTo(fake, A).filter((r) => r.status === 429);
    expect(limited).toHaveLength(1);
    expect(limited[0]?.window).toBe(0);
  });
});
