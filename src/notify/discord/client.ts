import { REST, type RateLimitData } from '@discordjs/rest';
import { Routes, type APIMessage } from 'discord-api-types/v10';
import type { Alert } from '../../domain/index.js';
import { toDeliveryError } from '../classify-failure.js';
import { DeliveryError } from '../errors.js';
import type { Notifier, PostOptions, PostResult } from '../types.js';
import { DISCORD_LIMITS, escapeDiscord, formatDiscordMessage } from './format.js';

/** Discord nonces are at most 25 characters (resources/message: Create Message). */
export const DISCORD_NONCE_MAX = 25;

/** Options for createDiscordNotifier. */
export interface DiscordNotifierOptions {
  /** Bot token (DISCORD_TOKEN), without the "Bot " prefix. */
  token: string;
  /** REST base without version (DISCORD_API_URL). @defaultValue `'https://discord.com/api'` */
  apiUrl?: string;
  /** A ready REST client (tests, or sharing one bucket state with the triage adapter); token/apiUrl are then not applied. */
  rest?: REST;
  /** Abort a request after this long; the send is then ambiguous and the nonce makes the retry safe. @defaultValue 15000 */
  timeoutMs?: number;
  /**
   * Rate-limit waits up to this long happen inside the client; longer ones throw and classify as `wait`.
   * @defaultValue 5000
   */
  maxInlineWaitMs?: number;
  /** Whether a message gets triage buttons. @defaultValue review decisions and alerts already in triage */
  withActions?: (channel: string, alert: Alert) => boolean;
}

const DEFAULTS = {
  apiUrl: 'https://discord.com/api',
  timeoutMs: 15_000,
  maxInlineWaitMs: 5_000,
  withActions: (_channel: string, alert: Alert): boolean => alert.decision === 'review' || alert.triage !== undefined,
} as const;

/**
 * Builds the REST client. `retries: 0`: BullMQ owns retries, and a replayed POST after a reset or
 * timeout is exactly the ambiguous send the nonce guards; retrying inside the client would hide it.
 * Rate limits: discord.js keeps a queue per bucket and honours Retry-After / X-RateLimit-*, so short
 * waits are cheapest in-process (ordering kept, bucket state shared by concurrent posts). A long wait
 * would hold a worker slot and its BullMQ lock, so those are rejected as RateLimitError and become a
 * `wait` action: the worker pauses the queue for that long without spending an attempt.
 */
export function createDiscordRest(options: { token: string; apiUrl: string; timeoutMs: number; maxInlineWaitMs: number }): REST {
  return new REST({
    api: options.apiUrl,
    version: '10',
    retries: 0,
    timeout: options.timeoutMs,
    userAgentAppendix: 'RefoulementWatch',
    rejectOnRateLimit: (data: RateLimitData) => Math.max(data.retryAfter, data.timeToReset, data.sublimitTimeout) > options.maxInlineWaitMs,
  }).setToken(options.token);
}

/** Feed text must never ping: nothing is parsed; roles only when a route opted in for this post. */
function allowedMentions(roles: readonly string[] = []): { parse: []; roles?: string[] } {
  const valid = roles.filter((id) => /^\d{17,20}$/.test(id));
  return valid.length > 0 ? { parse: [], roles: valid } : { parse: [] };
}

/**
 * Discord Notifier over @discordjs/rest. Posts with `nonce` + `enforce_nonce` so a replayed create
 * returns the existing message; every create and edit sends `allowed_mentions: { parse: [] }`.
 * Failures throw DeliveryError (masked; classify with classifyDeliveryFailure).
 */
export function createDiscordNotifier(options: DiscordNotifierOptions): Notifier {
  const settings = {
    token: options.token,
    apiUrl: (options.apiUrl ?? DEFAULTS.apiUrl).replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    maxInlineWaitMs: options.maxInlineWaitMs ?? DEFAULTS.maxInlineWaitMs,
  };
  const rest = options.rest ?? createDiscordRest(settings);
  const withActions = options.withActions ?? DEFAULTS.withActions;
  const secrets = [options.token];

  return {
    platform: 'discord',

    async post(channel: string, alert: Alert, postOptions: PostOptions): Promise<PostResult> {
      const { nonce } = postOptions;
      if (nonce.length === 0 || nonce.length > DISCORD_NONCE_MAX) {
        throw new DeliveryError(
          { platform: 'discord', status: 400, code: 'invalid_nonce' },
          `discord post of alert ${alert.id} refused: nonce must be 1-${DISCORD_NONCE_MAX} characters (got ${nonce.length}); derive it with discordNonce()`,
        );
      }
      const roles = postOptions.mentionRoleIds ?? [];
      const body = {
        ...formatDiscordMessage(alert, { withActions: withActions(channel, alert), mentionRoleIds: roles }),
        nonce,
        enforce_nonce: true,
        allowed_mentions: allowedMentions(roles),
      };
      try {
        const message = (await rest.post(Routes.channelMessages(channel), { body })) as APIMessage;
        return { messageId: message.id, channel: message.channel_id || channel };
      } catch (error) {
        throw toDeliveryError(error, 'discord', `discord post of alert ${alert.id} to channel ${channel}`, secrets);
      }
    },

    async edit(channel: string, messageId: string, alert: Alert): Promise<void> {
      const formatted = formatDiscordMessage(alert, { withActions: withActions(channel, alert) });
      // An empty list removes buttons that no longer apply (e.g. after a dismissal).
      const body = { embeds: formatted.embeds, components: formatted.components ?? [], allowed_mentions: allowedMentions() };
      try {
        await rest.patch(Routes.channelMessage(channel, messageId), { body });
      } catch (error) {
        throw toDeliveryError(error, 'discord', `discord edit of message ${messageId} (alert ${alert.id}) in channel ${channel}`, secrets);
      }
    },

    async notice(channel: string, text: string): Promise<void> {
      const body = { content: `⚠️ ${escapeDiscord(text, DISCORD_LIMITS.content - 3, true)}`, allowed_mentions: allowedMentions() };
      try {
        await rest.post(Routes.channelMessages(channel), { body });
      } catch (error) {
        throw toDeliveryError(error, 'discord', `discord notice to channel ${channel}`, secrets);
      }
    },
  };
}
