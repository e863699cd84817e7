import type { Alert, Classification, ClassifyInput, Item, Source, Story } from '../domain/index.js';

/**
 * The small interfaces the pipeline needs from the outside world. Redis adapters live in
 * src/store and src/stories; tests use in-memory fakes. Keeping them here (next to the code
 * that uses them) means the pipeline never imports Redis, HTTP or a platform SDK.
 */

export interface FetchState {
  sourceId?: string;
  etag?: string;
  lastModified?: string;
  lastSuccess?: number;
  lastAttempt?: number;
  failures: number;
  lastError?: string;
  pausedUntil?: number;
  pauseReason?: string;
  baselineDone: boolean;
  nextAllowedAt?: number;
}

export interface FetchStatePort {
  /** Undefined for a source never polled. */
  get(sourceId: string): Promise<FetchState | undefined>;
  recordSuccess(sourceId: string, update: { etag?: string; lastModified?: string; at: number }): Promise<void>;
  recordFailure(sourceId: string, failure: { error: string; code: string; at: number; retryAfterMs?: number }): Promise<number>;
  pause(sourceId: string, until: number, reason: string): Promise<void>;
  markBaselineDone(sourceId: string): Promise<void>;
}

export interface SeenPort {
  filterNew(sourceId: string, ids: string[], now: number): Promise<string[]>;
  markSeen(sourceId: string, ids: string[], now: number): Promise<void>;
  /** Forgets ids first seen before `olderThan`, except `keep` (still in the feed: forgetting them would repost). */
  prune(sourceId: string, olderThan: number, options?: { keep?: string[] }): Promise<number>;
}

export interface SourceLookup {
  get(sourceId: string): Promise<Source | undefined>;
}

export interface ClassifierPort {
  classify(input: ClassifyInput): Classification;
}

export interface StoryPort {
  attach(item: Item, classification: Classification, now: Date): Promise<{ story: Story; isNew: boolean; matchedBy?: string }>;
}

export interface AlertPort {
  save(alert: Alert): Promise<void>;
  /**
   * Read-modify-write under compare-and-set: `change` gets the stored alert (undefined when
   * none) and returns the version to store. Re-runs `change` when another writer (a moderator's
   * triage, another analyze worker) got in between, so neither write is lost. Returns what is stored.
   */
  update(id: string, change: (current: Alert | undefined) => Alert): Promise<Alert>;
  get(id: string): Promise<Alert | undefined>;
  getPosted(alertId: string): Promise<Record<string, string>>;
  markPosted(alertId: string, target: string, messageId: string): Promise<void>;
  markPending(alertId: string, target: string, at: number): Promise<void>;
  /** target → ms when a post attempt started and has not been recorded as done. */
  getPending(alertId: string): Promise<Record<string, number>>;
  clearPending(alertId: string, target: string): Promise<void>;
}

export interface TargetStatePort {
  disable(target: string, reason: string): Promise<void>;
  isDisabled(target: string): Promise<boolean>;
}

export interface NotifyJob {
  alertId: string;
  target: string;
  action: 'post' | 'edit';
}

/** Operational warnings (a source paused, a target disabled) for the ops route or the log. */
export type WarnOps = (message: string) => Promise<void>;

/** Counters the pipeline reports; the composition root maps them to Prometheus. */
export interface PipelineEvents {
  polled?(sourceId: string, outcome: string): void;
  pollError?(sourceId: string, code: string): void;
  newItems?(sourceId: string, count: number): void;
  decided?(decision: string): void;
  posted?(target: string, alert: Alert, at: Date): void;
  deliveryFailed?(target: string, kind: string): void;
}
