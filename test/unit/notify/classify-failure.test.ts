import { DiscordAPIError, HTTPError, RateLimitError } from '@discordjs/rest';
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { DeliveryError, classifyDeliveryFailure, maskSecrets, toDeliveryError } from '../../../src/notify/index.js';

const WEBHOOK_TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-secret';
const WEBHOOK_URL = `https://discord.com/api/v10/webhooks/123456789012345678/${WEBHOOK_TOKEN}?wait=true`;

function discordApiError(status: number, code: number, message: string): DiscordAPIError {
  return new DiscordAPIError({ message, code }, code, status, 'POST', WEBHOOK_URL, { body: { content: 'x' } });
}

function slackPlatformError(error: string): WebAPIPlatformError {
  return new WebAPIPlatformError({ ok: false, error });
}

describe('classifyDeliveryFailure', () => {
  const table: Array<[string, unknown, string]> = [
    ['discord 403 Missing Permissions', discordApiError(403, 50013, 'Missing Permissions'), 'disable-target'],
    ['discord 403 Missing Access', discordApiError(403, 50001, 'Missing Access'), 'disable-target'],
    ['discord 404 Unknown Channel', discordApiError(404, 10003, 'Unknown Channel'), 'disable-target'],
    ['discord 404 Unknown Message (edit)', discordApiError(404, 10008, 'Unknown Message'), 'permanent'],
    ['discord 401', discordApiError(401, 0, '401: Unauthorized'), 'halt-platform'],
    ['discord 400 Invalid Form Body', discordApiError(400, 50035, 'Invalid Form Body'), 'permanent'],
    ['discord 413', discordApiError(413, 40005, 'Request entity too large'), 'permanent'],
    ['discord HTTPError 503', new HTTPError(503, 'Service Unavailable', 'POST', WEBHOOK_URL, { body: {} }), 'retry'],
    ['discord HTTPError 500', new HTTPError(500, 'Internal Server Error', 'POST', WEBHOOK_URL, { body: {} }), 'retry'],
    ['discord token dropped after 401', new Error('Expected token to be set for this request, but none was present'), 'halt-platform'],
    ['network reset', Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), 'retry'],
    ['timeout', Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }), 'retry'],
    ['slack invalid_auth', slackPlatformError('invalid_auth'), 'halt-platform'],
    ['slack token_revoked', slackPlatformError('token_revoked'), 'halt-platform'],
    ['slack channel_not_found', slackPlatformError('channel_not_found'), 'disable-target'],
    ['slack not_in_channel', slackPlatformError('not_in_channel'), 'disable-target'],
    ['slack is_archived', slackPlatformError('is_archived'), 'disable-target'],
    ['slack invalid_blocks', slackPlatformError('invalid_blocks'), 'permanent'],
    ['slack internal_error', slackPlatformError('internal_error'), 'retry'],
    ['slack HTTP 503', new WebAPIHTTPError(503, 'Service Unavailable', {}, ''), 'retry'],
    ['slack request error', new WebAPIRequestError(new Error('socket hang up')), 'retry'],
    ['a thrown string', 'boom', 'retry'],
  ];

  it.each(table)('%s → %s', (_label, error, kind) => {
    expect(classifyDeliveryFailure(error).kind).toBe(kind);
  });

  it('discord 429 waits for the server-given time', () => {
    const error = new RateLimitError({
      timeToReset: 2500,
      limit: 5,
      method: 'POST',
      hash: 'h',
      url: 'https://discord.com/api/v10/channels/1/messages',
      route: '/channels/:id/messages',
      majorParameter: '1',
      global: false,
      retryAfter: 2550,
      sublimitTimeout: 0,
      scope: 'user',
    });
    expect(classifyDeliveryFailure(error)).toMatchObject({ kind: 'wait', ms: 2550 });
  });

  it('slack 429 waits Retry-After seconds', () => {
    expect(classifyDeliveryFailure(new WebAPIRateLimitedError(7))).toMatchObject({ kind: 'wait', ms: 7000 });
  });

  it('classifies the DeliveryError it wraps the same way as the raw error', () => {
    const raw = discordApiError(403, 50013, 'Missing Permissions');
    const wrapped = toDeliveryError(raw, 'discord', 'discord post', []);
    expect(wrapped).toBeInstanceOf(DeliveryError);
    expect(wrapped.name).toBe('DeliveryError[discord 403]');
    expect(wrapped.code).toBe(50013);
    expect(classifyDeliveryFailure(wrapped)).toEqual(classifyDeliveryFailure(raw));
    const slack = toDeliveryError(slackPlatformError('channel_not_found'), 'slack', 'slack post', []);
    expect(slack.name).toBe('DeliveryError[slack channel_not_found]');
    expect(classifyDeliveryFailure(slack).kind).toBe('disable-target');
  });

  it('gives the operator a reason that names the fix', () => {
    expect(classifyDeliveryFailure(discordApiError(401, 0, 'x')).reason).toContain('DISCORD_TOKEN');
    expect(classifyDeliveryFailure(slackPlatformError('invalid_auth')).reason).toContain('SLACK_BOT_TOKEN');
  });
});

describe('secrets', () => {
  it('masks webhook and interaction tokens, Slack tokens and literal secrets', () => {
    const text = `${WEBHOOK_URL} /interactions/987654321098765432/aW50ZXJhY3Rpb246dG9rZW4/callback xoxb-123-456-abcdef Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.abc.def my-literal-secret`;
    const masked = maskSecrets(text, ['my-literal-secret']);
    expect(masked).not.toContain(WEBHOOK_TOKEN);
    expect(masked).not.toContain('aW50ZXJhY3Rpb246dG9rZW4');
    expect(masked).not.toContain('abcdef');
    expect(masked).not.toContain('MTIzNDU2Nzg5MDEyMzQ1Njc4');
    expect(masked).not.toContain('my-literal-secret');
    expect(masked).toContain('/webhooks/123456789012345678/***');
  });

  it('a wrapped error carries no token, URL or request body, in message or JSON', () => {
    const raw = new HTTPError(502, `Bad Gateway ${WEBHOOK_URL}`, 'POST', WEBHOOK_URL, { body: { token: WEBHOOK_TOKEN } });
    const wrapped = toDeliveryError(raw, 'discord', `discord post via ${WEBHOOK_URL}`, [WEBHOOK_TOKEN]);
    const serialized = `${wrapped.name} ${wrapped.message} ${wrapped.stack ?? ''} ${JSON.stringify(wrapped)}`;
    expect(serialized).not.toContain(WEBHOOK_TOKEN);
    expect(JSON.parse(JSON.stringify(wrapped))).toMatchObject({ platform: 'discord', status: 502 });
  });
});
