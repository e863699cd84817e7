/**
 * RELIABILITY #15: Discord drops an interaction not answered within 3 s. With the service slowed to
 * 2.5 s per call (a loaded Redis), each handler must ACK (deferUpdate / deferReply) at once and only
 * then do the work, sending the outcome as a follow-up or edit afterwards.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TriageService } from '../../../src/triage/index.js';
import { handleCommand, handleComponent, type DiscordHandlerContext } from '../../../src/triage/discord/index.js';
import {
  ana,
  componentClick,
  createHarness,
  recordingResponder,
  reviewAlert,
  slashCommand,
  stranger,
  type Harness,
  type RecordingResponder,
} from './harness.js';

const LATENCY_MS = 2_500;
const ACK_WITHIN_MS = 500;

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

/** The harness's real service with `LATENCY_MS` before each call this test exercises; records when each finished. */
function slowContext(): { ctx: DiscordHandlerContext; finished: number[] } {
  const real = h.service;
  const finished: number[] = [];
  const slow =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await sleep(LATENCY_MS);
      const result = await fn(...args);
      finished.push(Date.now());
      return result;
    };
  const service: TriageService = {
    ...real,
    act: slow(real.act.bind(real)),
    status: slow(real.status.bind(real)),
    recordRefusal: slow(real.recordRefusal.bind(real)),
  };
  return { ctx: { ...h.ctx, service }, finished };
}

/** First call's delay after arrival, and the calls that came after the work finished. */
function timeline(
  r: RecordingResponder,
  arrivedAt: number,
  workDoneAt: number | undefined,
): { ackAfterMs: number; ack: string; after: string[] } {
  const [first] = r.calls;
  expect(first, 'the handler answered nothing').toBeDefined();
  expect(workDoneAt, 'the slow service was never called').toBeDefined();
  return {
    ack: first?.kind ?? '',
    ackAfterMs: (first?.at ?? Infinity) - arrivedAt,
    after: r.calls.filter((c) => c.at >= (workDoneAt ?? Infinity)).map((c) => c.kind),
  };
}

describe('Discord handlers answer within the 3-second deadline (RELIABILITY #15)', () => {
  it('button click: deferUpdate at once, the outcome follows after a 2.5 s service call', { timeout: 15_000 }, async () => {
    await h.seed(reviewAlert());
    const { ctx, finished } = slowContext();
    const r = recordingResponder();
    const arrivedAt = Date.now();
    await handleComponent(componentClick('rw:confirm:al_story1', ana), r, ctx);

    const t = timeline(r, arrivedAt, finished[0]);
    expect(t.ack).toBe('deferUpdate');
    expect(t.ackAfterMs).toBeLessThan(ACK_WITHIN_MS);
    expect(t.after).toEqual(['followUp']);
    expect(r.calls.at(-1)?.body).toMatchObject({ ephemeral: true, content: expect.stringMatching(/^Confirmed by Ana/) });
    expect(r.calls.at(-1)!.at - arrivedAt).toBeGreaterThanOrEqual(LATENCY_MS);
  });

  it('dismiss reason from the select: deferUpdate at once, the select is replaced after the work', { timeout: 15_000 }, async () => {
    await h.seed(reviewAlert());
    const { ctx, finished } = slowContext();
    const r = recordingResponder();
    const arrivedAt = Date.now();
    await handleComponent(componentClick('rw:dismiss-reason:al_story1', ana, ['old-news']), r, ctx);

    const t = timeline(r, arrivedAt, finished[0]);
    expect(t.ack).toBe('deferUpdate');
    expect(t.ackAfterMs).toBeLessThan(ACK_WITHIN_MS);
    expect(t.after).toEqual(['editReply']);
    expect(r.calls.at(-1)?.body).toMatchObject({ content: expect.stringMatching(/^Dismissed by Ana/), components: [] });
  });

  it('/refwatch status: deferReply (ephemeral) at once, the reply is edited after the work', { timeout: 15_000 }, async () => {
    const { ctx, finished } = slowContext();
    const r = recordingResponder();
    const arrivedAt = Date.now();
    await handleCommand(slashCommand(['status'], {}, ana), r, ctx);

    const t = timeline(r, arrivedAt, finished[0]);
    expect(t.ack).toBe('deferReply');
    expect(r.calls[0]?.body).toEqual({ ephemeral: true });
    expect(t.ackAfterMs).toBeLessThan(ACK_WITHIN_MS);
    expect(t.after).toEqual(['editReply']);
  });

  it('a refused non-moderator is ACKed before the slow audit write, then told why', { timeout: 15_000 }, async () => {
    await h.seed(reviewAlert());
    const { ctx, finished } = slowContext();
    const r = recordingResponder();
    const arrivedAt = Date.now();
    await handleComponent(componentClick('rw:confirm:al_story1', stranger), r, ctx);

    const t = timeline(r, arrivedAt, finished[0]);
    expect(t.ack).toBe('deferReply');
    expect(t.ackAfterMs).toBeLessThan(ACK_WITHIN_MS);
    expect(t.after).toEqual(['editReply']);
    expect(r.calls.at(-1)?.body).toMatchObject({ content: expect.stringMatching(/^Only moderators/) });
  });
});
