import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError, SLACK_EVENT_TYPE, classifyDeliveryFailure, createSlackNotifier } from '../../../src/notify/index.js';
import { slackCurrentPayload, slackMessagesIn, startFakeSlack, type FakeSlack } from '../../fakes/slack-api.js';
import { alertWithText, buildAlert } from '../../unit/notify/alert-fixture.js';

const CHANNEL = 'C0123ALERTS';

let fake: FakeSlack;
beforeEach(async () => {
  fake = await startFakeSlack();
});
afterEach(async () => {
  await fake.close();
});

function notifier(extra: { token?: string; timeoutMs?: number } = {}): ReturnType<typeof createSlackNotifier> {
  return createSlackNotifier({ token: extra.token ?? fake.token, apiUrl: fake.apiUrl, timeoutMs: extra.timeoutMs ?? 2000 });
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

describe('Slack notifier against the fake', () => {
  it('posts with blocks, fallback text, no unfurl and alert metadata; edits in place', async () => {
    const alert = buildAlert();
    const slack = notifier();
    const posted = await slack.post(CHANNEL, alert, { nonce: 'unused' });
    await slack.edit(posted.channel, posted.messageId, { ...alert, triage: { status: 'confirmed', by: 'mina' } });

    const [entry, ...rest] = slackMessagesIn(fake, CHANNEL);
    expect(rest).toEqual([]);
    expect(`${CHANNEL}/${entry?.ts}`).toBe(posted.messageId);
    expect(entry?.payload.unfurl_links).toBe('false');
    expect(entry?.metadata).toEqual({ event_type: SLACK_EVENT_TYPE, event_payload: { alert_id: alert.id } });
    expect(String(entry?.payload.text)).toContain('Dozens of North Korean escapees');
    expect(entry?.edits).toHaveLength(1);
    expect(JSON.stringify(slackCurrentPayload(entry!))).toContain('Confirmed by mina');
  });

  it('escapes <!channel>, links, & and user mentions in feed text (the fake rejects raw <!)', async () => {
    await notifier().post(CHANNEL, alertWithText('<!channel> <https://x|y> & <@U1>'), { nonce: 'unused' });
    const entry = slackMessagesIn(fake, CHANNEL)[0]!;
    expect(String(entry.payload.text)).toContain('&lt;!channel&gt; &lt;https://x|y&gt; &amp; &lt;@U1&gt;');
    // plain_text (the header) is never parsed for mentions; every mrkdwn block must be escaped.
    const mrkdwnBlocks = (entry.payload.blocks as Array<{ type: string }>).filter((b) => b.type !== 'header');
    expect(mrkdwnBlocks.length).toBeGreaterThan(2);
    expect(JSON.stringify(mrkdwnBlocks)).not.toMatch(/<!channel>|<@U1>/);
  });

  it('accepts 10 kB titles, 40 categories and emoji/astral/combining text without invalid_blocks', async () => {
    const long = '👩‍👩‍👧‍👦 𝔑𝔬𝔯𝔱𝔥 e\u0301\u0323 탈북민 <&> '.repeat(400);
    const alert = alertWithText(long, {
      rules: Array.from({ length: 40 }, (_, i) => ({ rule: `pack/category-${i}`, pack: 'pack', score: i, why: [long] })),
    });
    await notifier().post(CHANNEL, alert, { nonce: 'unused' });
    expect(slackMessagesIn(fake, CHANNEL)).toHaveLength(1);
  });

  it('turns a 429 into a wait of Retry-After seconds without posting; the later post lands once', async () => {
    fake.fail(CHANNEL, { kind: 'rate-limit', retryAfterSec: 2 });
    const slack = notifier();
    const error = await failure(slack.post(CHANNEL, buildAlert(), { nonce: 'unused' }));
    expect(classifyDeliveryFailure(error)).toMatchObject({ kind: 'wait', ms: 2000 });
    expect(fake.requests).toHaveLength(1); // no retry inside the client
    await slack.post(CHANNEL, buildAlert(), { nonce: 'unused' });
    expect(slackMessagesIn(fake, CHANNEL)).toHaveLength(1);
  });

  it('classifies HTTP 5xx as retry, once', async () => {
    fake.fail(CHANNEL, { kind: 'http', status: 503 });
    const error = await failure(notifier().post(CHANNEL, buildAlert(), { nonce: 'unused' }));
    expect(classifyDeliveryFailure(error).kind).toBe('retry');
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    ['channel_not_found', 'disable-target'],
    ['not_in_channel', 'disable-target'],
    ['is_archived', 'disable-target'],
    ['token_revoked', 'halt-platform'],
  ])('classifies %s as %s', async (code, kind) => {
    fake.fail(CHANNEL, { kind: 'error', error: code });
    const error = await failure(notifier().post(CHANNEL, buildAlert(), { nonce: 'unused' }));
    expect(error.name).toBe(`DeliveryError[slack ${code}]`);
    expect(classifyDeliveryFailure(error).kind).toBe(kind);
  });

  it('halts on a wrong token, and the token never appears in the error', async () => {
    const badToken = 'xoxb-111-222-wrongtokenvalue';
    const error = await failure(notifier({ token: badToken }).post(CHANNEL, buildAlert(), { nonce: 'unused' }));
    expect(classifyDeliveryFailure(error).kind).toBe('halt-platform');
    expectNoSecret(error, badToken);
    expectNoSecret(error, 'wrongtokenvalue');
  });

  it('findPosted recovers a message that landed before the connection reset', async () => {
    const alert = buildAlert();
    const other = buildAlert({ id: 'al_other' });
    const slack = notifier();
    await slack.post(CHANNEL, other, { nonce: 'unused' });
    fake.fail(CHANNEL, { kind: 'accept-then-reset' });
    const error = await failure(slack.post(CHANNEL, alert, { nonce: 'unused' }));
    expect(classifyDeliveryFailure(error).kind).toBe('retry');
    expectNoSecret(error, fake.token);

    // A restarted worker checks before re-posting.
    const found = await notifier().findPosted(CHANNEL, alert);
    expect(found).toEqual({ messageId: CHANNEL + '/' + slackMessagesIn(fake, CHANNEL)[1]?.ts, channel: CHANNEL });
    expect(await notifier().findPosted(CHANNEL, buildAlert({ id: 'al_never' }))).toBeUndefined();
    expect(slackMessagesIn(fake, CHANNEL)).toHaveLength(2);
  });

  it('a stalled call times out as a retryable failure', async () => {
    fake.fail(CHANNEL, { kind: 'accept-then-stall', ms: 3000 });
    const error = await failure(notifier({ timeoutMs: 300 }).post(CHANNEL, buildAlert(), { nonce: 'unused' }));
    expect(error.transport).toBe('timeout');
    expect(classifyDeliveryFailure(error).kind).toBe('retry');
  });
});
