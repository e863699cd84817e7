import { LogLevel, WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Alert } from '../../domain/index.js';
import { toDeliveryError } from '../classify-failure.js';
import { DeliveryError } from '../errors.js';
import type { Notifier, PostResult } from '../types.js';
import { escapeSlack, formatSlackMessage } from './format.js';

/** Message metadata event type that marks our posts (docs.slack.dev/messaging/message-metadata). */
export const SLACK_EVENT_TYPE = 'refwatch_alert';

/** Options for createSlackNotifier. */
export interface SlackNotifierOptions {
  /** Bot token (SLACK_BOT_TOKEN, `xoxb-…`). */
  token: string;
  /** Web API base ending in `/` (SLACK_API_URL). @defaultValue `'https://slack.com/api/'` */
  apiUrl?: string;
  /** Abort a call after this long (0 = never). @defaultValue 15000 */
  timeoutMs?: number;
  /** How many recent messages findPosted scans. @defaultValue 100 */
  historyLimit?: number;
  /** Whether a message gets triage buttons. @defaultValue review decisions and alerts already in triage */
  withActions?: (channel: string, alert: Alert) => boolean;
}

const postResponse = z.object({ ts: z.string(), channel: z.string().optional() });
const historyResponse = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        metadata: z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() }).optional(),
      }),
    )
    .default([]),
});

/**
 * Slack Notifier over @slack/web-api. `retryConfig: { retries: 0 }`: the default policy retries
 * network errors, replaying a post that may already have landed; BullMQ owns retries and
 * findPosted (message metadata) resolves the ambiguity. `rejectRateLimitedCalls`: a 429 throws so
 * it classifies as `wait` instead of blocking a worker for the Retry-After.
 */
export function createSlackNotifier(options: SlackNotifierOptions): Notifier & Required<Pick<Notifier, 'findPosted'>> {
  const client = new WebClient(options.token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/` } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 15_000,
    // Its own warnings would go to stdout unredacted; our errors carry what is needed.
    logLevel: LogLevel.ERROR,
  });
  const secrets = [options.token];
  const withActions =
    options.withActions ?? ((_channel: string, alert: Alert) => alert.decision === 'review' || alert.triage !== undefined);
  const historyLimit = options.historyLimit ?? 100;

  async function call(method: string, args: Record<string, unknown>, operation: string): Promise<unknown> {
    try {
      return await client.apiCall(method, args);
    } catch (error) {
      throw toDeliveryError(error, 'slack', operation, secrets);
    }
  }

  function parsed<T>(schema: z.ZodType<T>, value: unknown, operation: string): T {
    const result = schema.safeParse(value);
    if (!result.success) {
      throw new DeliveryError(
        { platform: 'slack', code: 'unexpected_response' },
        `${operation}: Slack answered without the expected fields (${result.error.issues[0]?.message ?? 'invalid'})`,
      );
    }
    return result.data;
  }

  return {
    platform: 'slack',

    async post(channel, alert): Promise<PostResult> {
      const operation = `slack post of alert ${alert.id} to ${channel}`;
      const message = formatSlackMessage(alert, { withActions: withActions(channel, alert) });
      const response = await call(
        'chat.postMessage',
        {
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
          metadata: { event_type: SLACK_EVENT_TYPE, event_payload: { alert_id: alert.id } },
        },
        operation,
      );
      const { ts, channel: resolved } = parsed(postResponse, response, operation);
      // Slack answers with the channel id even when given a name; chat.update needs the id, so the
      // message id carries it ("C123/1700000000.000100").
      return { messageId: `${resolved ?? channel}/${ts}`, channel: resolved ?? channel };
    },

    async edit(channel, messageId, alert): Promise<void> {
      const message = formatSlackMessage(alert, { withActions: withActions(channel, alert) });
      const { channel: channelId, ts } = splitSlackMessageId(messageId, channel);
      await call(
        'chat.update',
        { channel: channelId, ts, text: message.text, blocks: message.blocks },
        `slack edit of message ${messageId} (alert ${alert.id}) in ${channel}`,
      );
    },

    async notice(channel, text): Promise<void> {
      await call(
        'chat.postMessage',
        { channel, text: `:warning: ${escapeSlack(text, 3000, true)}`, unfurl_links: false },
        `slack notice to ${channel}`,
      );
    },

    async findPosted(channel, alert): Promise<PostResult | undefined> {
      const operation = `slack history of ${channel} (looking for alert ${alert.id})`;
      const response = await call('conversations.history', { channel, limit: historyLimit, include_all_metadata: true }, operation);
      const { messages } = parsed(historyResponse, response, operation);
      const found = messages.find((m) => m.metadata?.event_type === SLACK_EVENT_TYPE && m.metadata.event_payload?.alert_id === alert.id);
      return found ? { messageId: `${channel}/${found.ts}`, channel } : undefined;
    },
  };
}

/** Reads "C123/1700000000.000100" (or a bare ts from older records) into channel id and ts. */
export function splitSlackMessageId(messageId: string, fallbackChannel: string): { channel: string; ts: string } {
  const slash = messageId.lastIndexOf('/');
  return slash > 0 ? { channel: messageId.slice(0, slash), ts: messageId.slice(slash + 1) } : { channel: fallbackChannel, ts: messageId };
}
