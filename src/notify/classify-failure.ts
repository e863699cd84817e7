import { DiscordAPIError, HTTPError, RateLimitError } from '@discordjs/rest';
import { DeliveryError, maskSecrets, type DeliveryFailureFacts, type DeliveryPlatform } from './errors.js';
import type { FailureAction } from './types.js';

// Slack `error` strings, grouped by what they mean for us (docs.slack.dev method references).
const SLACK_HALT = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'not_allowed_token_type',
  'team_access_not_granted',
  'no_permission',
]);
const SLACK_DISABLE = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'restricted_action']);
const SLACK_RETRY = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

// Discord JSON codes on 404 that mean "this message", not "this channel": an edit of a deleted message.
const DISCORD_UNKNOWN_MESSAGE = 10008;

// Slack 429s without a usable Retry-After: wait a conservative second (postMessage allows ~1/s per channel).
const DEFAULT_RATE_LIMIT_MS = 1000;

/** @discordjs/rest drops the token after a 401 and then throws this for every later request. */
const DISCORD_TOKEN_DROPPED = /Expected token to be set for this request/;

function isTimeout(error: Error): boolean {
  return error.name === 'AbortError' || error.name === 'TimeoutError' || /timed? ?out/i.test(error.message);
}

interface SlackLikeError extends Error {
  code: string;
  data?: { error?: string; response_metadata?: { retryAfter?: number } };
  retryAfter?: number;
  statusCode?: number;
  original?: Error;
}

function isSlackError(error: unknown): error is SlackLikeError {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('slack_webapi_');
}

function slackFacts(error: SlackLikeError): DeliveryFailureFacts {
  switch (error.code) {
    case 'slack_webapi_rate_limited_error':
      return { platform: 'slack', status: 429, code: 'ratelimited', retryAfterMs: Math.max(0, (error.retryAfter ?? 1) * 1000) };
    case 'slack_webapi_platform_error': {
      const code = error.data?.error ?? 'unknown_error';
      const retryAfter = error.data?.response_metadata?.retryAfter;
      return retryAfter !== undefined ? { platform: 'slack', code, retryAfterMs: retryAfter * 1000 } : { platform: 'slack', code };
    }
    case 'slack_webapi_http_error':
      return { platform: 'slack', status: error.statusCode ?? 0 };
    case 'slack_webapi_request_error':
      return { platform: 'slack', transport: error.original && isTimeout(error.original) ? 'timeout' : 'network' };
    default:
      return { platform: 'slack', code: error.code };
  }
}

/**
 * Reduces any error a platform client can throw to classification facts.
 * `platform` is the fallback for errors that do not say where they came from (network errors).
 */
export function describeDeliveryFailure(error: unknown, platform: DeliveryPlatform = 'discord'): DeliveryFailureFacts {
  if (error instanceof DeliveryError) return error.facts;
  if (error instanceof RateLimitError) {
    return { platform: 'discord', status: 429, retryAfterMs: Math.max(0, error.retryAfter, error.timeToReset) };
  }
  if (error instanceof DiscordAPIError) return { platform: 'discord', status: error.status, code: error.code };
  if (error instanceof HTTPError) return { platform: 'discord', status: error.status };
  if (isSlackError(error)) return slackFacts(error);
  if (error instanceof Error) {
    if (DISCORD_TOKEN_DROPPED.test(error.message)) return { platform: 'discord', status: 401, code: 'token_missing' };
    return { platform, transport: isTimeout(error) ? 'timeout' : 'network' };
  }
  return { platform, transport: 'network' };
}

/** Maps failure facts to an action; see classifyDeliveryFailure. */
export function actionForFailure(facts: DeliveryFailureFacts): FailureAction {
  const where = `${facts.platform}${facts.status !== undefined ? ` ${facts.status}` : ''}${facts.code !== undefined ? ` ${String(facts.code)}` : ''}`;
  if (facts.transport) return { kind: 'retry', reason: `${facts.platform}: ${facts.transport} error (no response)` };
  const { status, code } = facts;
  if (status === 429 || code === 'ratelimited' || code === 'rate_limited') {
    return { kind: 'wait', ms: facts.retryAfterMs ?? DEFAULT_RATE_LIMIT_MS, reason: `${where}: rate limited` };
  }
  if (typeof code === 'string' && facts.platform === 'slack' && status === undefined) {
    if (SLACK_HALT.has(code))
      return { kind: 'halt-platform', reason: `${where}: the bot token is not accepted; check SLACK_BOT_TOKEN and the app's scopes` };
    if (SLACK_DISABLE.has(code))
      return { kind: 'disable-target', reason: `${where}: the channel is unusable; invite the bot or fix the channel id` };
    if (SLACK_RETRY.has(code)) return { kind: 'retry', reason: `${where}: Slack-side error` };
    return { kind: 'permanent', reason: `${where}: rejected by Slack` };
  }
  if (status === undefined) return { kind: 'retry', reason: `${where}: unknown failure` };
  if (status >= 500 || status === 408) return { kind: 'retry', reason: `${where}: server error` };
  if (status === 401)
    return {
      kind: 'halt-platform',
      reason: `${where}: the token is not accepted; check the ${facts.platform === 'slack' ? 'SLACK_BOT_TOKEN' : 'DISCORD_TOKEN'}`,
    };
  if (status === 403)
    return {
      kind: 'disable-target',
      reason: `${where}: missing access or permissions in this channel; grant View Channel, Send Messages, Embed Links`,
    };
  if (status === 404 && code !== DISCORD_UNKNOWN_MESSAGE)
    return { kind: 'disable-target', reason: `${where}: unknown channel; fix the target id` };
  if (status >= 400) return { kind: 'permanent', reason: `${where}: request rejected` };
  return { kind: 'retry', reason: `${where}: unexpected status` };
}

/**
 * The one place delivery failures are judged, for every platform:
 * 429 → `wait` (server's retry-after); 5xx, network, timeout → `retry`;
 * 401 / invalid_auth / token_revoked → `halt-platform`;
 * 403, 404 Unknown Channel, channel_not_found / not_in_channel / is_archived → `disable-target`;
 * other 4xx (and 404 Unknown Message on an edit) → `permanent`.
 * Accepts DeliveryError and the raw @discordjs/rest and @slack/web-api errors.
 */
export function classifyDeliveryFailure(error: unknown): FailureAction {
  return actionForFailure(describeDeliveryFailure(error));
}

/** Wraps any client failure in a DeliveryError whose message names the operation and hides the secrets. */
export function toDeliveryError(error: unknown, platform: DeliveryPlatform, operation: string, secrets: readonly string[]): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const facts = describeDeliveryFailure(error, platform);
  const raw = error instanceof Error ? error.message : String(error);
  const action = actionForFailure(facts);
  const message = maskSecrets(`${operation} failed: ${raw} (${action.kind}: ${action.reason})`, secrets);
  return new DeliveryError(facts, message);
}
