import type { Alert } from '../domain/index.js';

/** Where a message landed: the platform's message id and the channel id it resolved to. */
export interface PostResult {
  messageId: string;
  channel: string;
}

/** Options for one post. */
export interface PostOptions {
  /**
   * Idempotency key, ≤25 characters, stable across retries of the same (alert, target).
   * Discord replays within a few minutes return the existing message instead of a new one.
   */
  nonce: string;
  /** Discord role ids to ping on create (a route must opt in); ignored elsewhere. */
  mentionRoleIds?: string[];
}

/** The delivery port: one adapter per platform. */
export interface Notifier {
  readonly platform: 'discord' | 'slack' | 'console';
  post(channel: string, alert: Alert, options: PostOptions): Promise<PostResult>;
  edit(channel: string, messageId: string, alert: Alert): Promise<void>;
  /** Finds a message this bot already posted for alert (ambiguous-send recovery); undefined if none. */
  findPosted?(channel: string, alert: Alert): Promise<PostResult | undefined>;
  /** Posts a plain operational notice (a source paused, a target disabled); never pings. */
  notice?(channel: string, text: string): Promise<void>;
}

/** What the delivery worker should do after a failed post or edit. */
export type FailureAction =
  | { kind: 'retry'; reason: string } // transient: BullMQ backoff
  | { kind: 'wait'; ms: number; reason: string } // rate limited: delay, no attempt spent
  | { kind: 'disable-target'; reason: string } // 403/404: this channel is unusable
  | { kind: 'halt-platform'; reason: string } // 401: token is bad
  | { kind: 'permanent'; reason: string }; // 400 etc: do not retry

/** Options shared by the formatters. */
export interface FormatOptions {
  /** Add triage buttons (moderators' triage channel). */
  withActions: boolean;
}
