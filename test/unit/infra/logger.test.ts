import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, jobLogger, maskSecrets } from '../../../src/infra/index.js';

// Fake secrets, shaped like the real ones.
const WEBHOOK_TOKEN = 'Zx9_ab-CDefGhIJklmNOPqrSTuvWXyz0123456789abcdefGHIJKLmnopQRstuv';
const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDpzZWNyZXRzZWNyZXQ';
const SLACK_BOT = 'xoxb-1111111111-2222222222-AbCdEfGhIjKlMnOpQrStUvWx';
const SLACK_USER = 'xoxp-3333333333-4444444444-5555555555-abcdef0123456789';
const SLACK_APP = 'xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef';
const DISCORD_BOT = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB';
const REDIS_PASSWORD = 's3cr3t-Redis-pw';
const SLACK_HOOK_SECRET = 'AbCdEfGhIjKlMnOpQrStUvWx';
const SECRETS = [WEBHOOK_TOKEN, INTERACTION_TOKEN, SLACK_BOT, SLACK_USER, SLACK_APP, DISCORD_BOT, REDIS_PASSWORD, SLACK_HOOK_SECRET];

function captureLogger() {
  const chunks: Buffer[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  const logger = createLogger({ level: 'trace', destination });
  return { logger, raw: () => Buffer.concat(chunks).toString('utf8') };
}

/** Shaped like @discordjs/rest's DiscordAPIError: url and requestBody carry the token. */
class FakeDiscordApiError extends Error {
  override name = 'DiscordAPIError[10015]';
  readonly url = `https://discord.com/api/v10/webhooks/1234567890/${WEBHOOK_TOKEN}?wait=true`;
  readonly requestBody = { json: { content: 'x' }, files: undefined };
  readonly status = 404;
  constructor() {
    super(`Unknown Webhook at /webhooks/1234567890/${WEBHOOK_TOKEN}`);
  }
}

describe('createLogger redaction (RELIABILITY #29)', () => {
  it('keeps every known secret out of the raw bytes', () => {
    const { logger, raw } = captureLogger();
    logger.error({ err: new FakeDiscordApiError() }, 'delivery failed');
    logger.error(new FakeDiscordApiError());

    const redisError = new Error(`connect ECONNREFUSED redis://default:${REDIS_PASSWORD}@10.0.0.5:6379`);
    redisError.stack = `Error: redis://:${REDIS_PASSWORD}@10.0.0.5:6379\n    at connect (node:net:1:1)`;
    logger.warn({ err: redisError }, 'redis down');

    const slackError = Object.assign(new Error(`An API error occurred: invalid_auth for ${SLACK_BOT}`), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'invalid_auth', response_metadata: { token: SLACK_USER } },
    });
    logger.error({ err: slackError });

    const interaction = new Error(`POST /interactions/998877665544/${INTERACTION_TOKEN}/callback failed`, {
      cause: new Error(`auth Bot ${DISCORD_BOT}`),
    });
    logger.error({ err: interaction }, 'ack failed');

    logger.info(
      {
        config: {
          discord: { token: DISCORD_BOT },
          slack: { webhookUrl: `https://hooks.slack.com/services/T0001/B0002/${SLACK_HOOK_SECRET}` },
        },
        env: { slackAppToken: SLACK_APP, redisUrl: `redis://user:${REDIS_PASSWORD}@redis:6379/0` },
        headers: { authorization: `Bot ${DISCORD_BOT}` },
      },
      `loaded config with ${SLACK_APP}`,
    );
    jobLogger(logger, { jobId: 'notify_abc', sourceId: 'unhcr' }).info({ note: `via ${SLACK_BOT}` }, 'child line');

    const text = raw();
    for (const secret of SECRETS) expect(text, `leaked ${secret.slice(0, 8)}…`).not.toContain(secret);
    // Still useful to an operator: which webhook, which host, which job.
    expect(text).toContain('/webhooks/1234567890/***');
    expect(text).toContain('10.0.0.5:6379');
    expect(text).toContain('"jobId":"notify_abc"');
    expect(text).toContain('"sourceId":"unhcr"');
    expect(text).toContain('Unknown Webhook');
    expect(text.trim().split('\n')).toHaveLength(7);
  });

  it('masks each secret shape in plain strings', () => {
    const cases: Array<[string, string]> = [
      [`https://discord.com/api/webhooks/42/${WEBHOOK_TOKEN}/messages/1`, 'https://discord.com/api/webhooks/42/***/messages/1'],
      [`/interactions/77/${INTERACTION_TOKEN}/callback`, '/interactions/77/***/callback'],
      [`token=${SLACK_BOT}`, 'token=xoxb-***'],
      [SLACK_APP, 'xapp-***'],
      [`redis://app:${REDIS_PASSWORD}@h:6379`, 'redis://app:***@h:6379'],
      [`rediss://:${REDIS_PASSWORD}@h:6380/1`, 'rediss://:***@h:6380/1'],
      [`Authorization: Bot ${DISCORD_BOT}`, 'Authorization: Bot ***'],
      [`token ${DISCORD_BOT} end`, 'token *** end'],
      ['https://www.unhcr.org/news/briefing-notes/123', 'https://www.unhcr.org/news/briefing-notes/123'],
    ];
    for (const [input, expected] of cases) expect(maskSecrets(input)).toBe(expected);
  });
});
