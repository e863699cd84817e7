import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError, classifyDeliveryFailure, createDiscordNotifier, discordNonce, type Notifier } from '../../../src/notify/index.js';
import { discordCurrentPayload, discordMessagesIn, startFakeDiscord, type FakeDiscord } from '../../fakes/discord-api.js';
import { alertWithText, buildAlert } from '../../unit/notify/alert-fixture.js';

const CHANNEL = '111111111111111111';
const OTHER = '222222222222222222';
const ROLE = '333333333333333333';

let fake: FakeDiscord;
beforeEach(async () => {
  fake = await startFakeDiscord();
});
afterEach(async () => {
  await fake.close();
});

function notifier(extra: { timeoutMs?: number; maxInlineWaitMs?: number; token?: string } = {}): Notifier {
  return createDiscordNotifier({
    token: extra.token ?? fake.token,
    apiUrl: fake.apiUrl,
    timeoutMs: extra.timeoutMs ?? 2000,
    ...(extra.maxInlineWaitMs ? { maxInlineWaitMs: extra.maxInlineWaitMs } : {}),
  });
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

function expectNoSecret(error: DeliveryError, secret: string): void {
  for (const text of [error.message, error.name, String(error), error.stack ?? '', JSON.stringify(error)]) {
    expect(text).not.toContain(secret);
  }
}

describe('Discord notifier against the fake', () => {
  it('posts and edits once, always with allowed_mentions.parse empty and a DiscordBot User-Agent', async () => {
    const alert = buildAlert();
    const discord = notifier();
    const posted = await discord.post(CHANNEL, alert, { nonce: discordNonce(alert.id, `discord:${CHANNEL}`) });
    await discord.edit(posted.channel, posted.messageId, { ...alert, alsoReportedBy: ['Seoul Daily', 'NK Watch Radio', 'Third'] });

    const [entry, ...rest] = discordMessagesIn(fake, CHANNEL);
    expect(rest).toEqual([]);
    expect(entry?.id).toBe(posted.messageId);
    expect(posted.channel).toBe(CHANNEL);
    expect(entry?.payload.allowed_mentions).toEqual({ parse: [] });
    expect(entry?.edits).toHaveLength(1);
    expect(entry?.edits[0]?.allowed_mentions).toEqual({ parse: [] });
    expect(JSON.stringify(discordCurrentPayload(entry!))).toContain('Third');
    expect(fake.requests.every((r) => r.userAgent?.startsWith('DiscordBot ('))).toBe(true);
  });

  it('never pings from feed text, and pings a role only when asked', async () => {
    const alert = alertWithText('@everyone @here <@&1> <@2>');
    const posted = await notifier().post(CHANNEL, alert, { nonce: 'nonce-mentions', mentionRoleIds: [ROLE] });
    const entry = discordMessagesIn(fake, CHANNEL)[0]!;
    expect(entry.id).toBe(posted.messageId);
    expect(entry.payload.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    expect(entry.payload.content).toBe(`<@&${ROLE}> 🟠 HIGH alert`);
    expect(JSON.stringify(entry.payload.embeds)).not.toMatch(/@everyone|@here|<@&1>|<@2>/);
  });

  it('accepts 10 kB titles, 40 categories and emoji/astral/combining text without a 400', async () => {
    const long = '👩‍👩‍👧‍👦 𝔑𝔬𝔯𝔱𝔥 e\u0301\u0323 탈북민 강제북송 '.repeat(400);
    const alert = alertWithText(long, {
      rules: Array.from({ length: 40 }, (_, i) => ({ rule: `pack/category-${i}`, pack: 'pack', score: i, why: [long] })),
      matches: Array.from({ length: 40 }, (_, i) => ({ rule: `r${i}`, term: long, field: 'text' as const, snippet: long, weight: 1 })),
    });
    await notifier().post(CHANNEL, alert, { nonce: 'nonce-long' });
    await notifier().edit(CHANNEL, discordMessagesIn(fake, CHANNEL)[0]!.id, alert);
    expect(discordMessagesIn(fake, CHANNEL)).toHaveLength(1);
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  it('waits out a short 429 with Retry-After inside the client and posts once', async () => {
    fake.fail(CHANNEL, { kind: 'rate-limit', retryAfterSec: 1 });
    const started = Date.now();
    await notifier().post(CHANNEL, buildAlert(), { nonce: 'nonce-429' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(discordMessagesIn(fake, CHANNEL)).toHaveLength(1);
    expect(fake.requests.filter((r) => r.channel === CHANNEL).map((r) => r.status)).toEqual([429, 200]);
    // The other channel's bucket was never limited.
    await notifier().post(OTHER, buildAlert(), { nonce: 'nonce-other' });
    expect(discordMessagesIn(fake, OTHER)).toHaveLength(1);
  });

  it('turns a long 429 into a wait action with the server-given time', async () => {
    fake.fail(CHANNEL, { kind: 'rate-limit', retryAfterSec: 30 });
    const error = await failure(notifier({ maxInlineWaitMs: 5000 }).post(CHANNEL, buildAlert(), { nonce: 'nonce-long-429' }));
    const action = classifyDeliveryFailure(error);
    expect(action.kind).toBe('wait');
    expect(action.kind === 'wait' ? action.ms : 0).toBeGreaterThanOrEqual(30_000);
    expect(discordMessagesIn(fake, CHANNEL)).toHaveLength(0);
  });

  it('classifies 5xx as retry without retrying inside the client', async () => {
    fake.fail(CHANNEL, { kind: 'status', status: 502 });
    const error = await failure(notifier().post(CHANNEL, buildAlert(), { nonce: 'nonce-5xx' }));
    expect(error.name).toBe('DeliveryError[discord 502]');
    expect(classifyDeliveryFailure(error).kind).toBe('retry');
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    [403, 50013],
    [404, 10003],
  ])('classifies %i (code %i) as disable-target', async (status, code) => {
    fake.fail(CHANNEL, { kind: 'status', status });
    const error = await failure(notifier().post(CHANNEL, buildAlert(), { nonce: 'nonce-4xx' }));
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(classifyDeliveryFailure(error).kind).toBe('disable-target');
  });

  it('halts the platform on 401 and keeps halting (the client dropped the token); the token never leaks', async () => {
    const badToken = 'bad-token.MTIzNDU2Nzg5MDEyMzQ1Njc4OTA.secretpart';
    const discord = notifier({ token: badToken });
    const first = await failure(discord.post(CHANNEL, buildAlert(), { nonce: 'nonce-401' }));
    expect(classifyDeliveryFailure(first).kind).toBe('halt-platform');
    const second = await failure(discord.post(CHANNEL, buildAlert(), { nonce: 'nonce-401' }));
    expect(classifyDeliveryFailure(second).kind).toBe('halt-platform');
    expectNoSecret(first, badToken);
    expectNoSecret(second, badToken);
  });

  it('accept-then-reset: the retry with the same nonce lands once', async () => {
    const alert = buildAlert();
    const nonce = discordNonce(alert.id, `discord:${CHANNEL}`);
    fake.fail(CHANNEL, { kind: 'accept-then-reset' });
    const discord = notifier();
    const error = await failure(discord.post(CHANNEL, alert, { nonce }));
    expect(classifyDeliveryFailure(error).kind).toBe('retry');
    expectNoSecret(error, fake.token);
    const retried = await discord.post(CHANNEL, alert, { nonce });
    expect(discordMessagesIn(fake, CHANNEL)).toHaveLength(1);
    expect(retried.messageId).toBe(discordMessagesIn(fake, CHANNEL)[0]?.id);
  });

  it('accept-then-reset without a stable nonce posts twice (the nonce is what prevents it)', async () => {
    const alert = buildAlert();
    fake.fail(CHANNEL, { kind: 'accept-then-reset' });
    const discord = notifier();
    await failure(discord.post(CHANNEL, alert, { nonce: 'attempt-1' }));
    await discord.post(CHANNEL, alert, { nonce: 'attempt-2' });
    expect(discordMessagesIn(fake, CHANNEL)).toHaveLength(2);
  });

  it('accept-then-stall past the timeout: classified retry, and the retry lands once', async () => {
    const alert = buildAlert();
    fake.fail(CHANNEL, { kind: 'accept-then-stall', ms: 3000 });
    const discord = notifier({ timeoutMs: 300 });
    const error = await failure(discord.post(CHANNEL, alert, { nonce: 'nonce-stall' }));
    expect(error.transport).toBe('timeout');
    expect(classifyDeliveryFailure(error).kind).toBe('retry');
    await discord.post(CHANNEL, alert, { nonce: 'nonce-stall' });
    expect(discordMessagesIn(fake, CHANNEL)).toHaveLength(1);
  });

  it('refuses a nonce over 25 characters before sending anything', async () => {
    const error = await failure(notifier().post(CHANNEL, buildAlert(), { nonce: 'x'.repeat(26) }));
    expect(classifyDeliveryFailure(error).kind).toBe('permanent');
    expect(fake.requests).toHaveLength(0);
  });
});
