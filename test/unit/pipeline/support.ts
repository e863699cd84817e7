/**
 * Fakes shared by the pipeline unit tests: items, sources, a scripted fetcher, a table
 * classifier and a capturing notifier. No Redis, no network.
 */
import type { Alert, Classification, ClassifyInput, Decision, Item, Severity, Source } from '../../../src/domain/index.js';
import { DeliveryError, type Notifier, type PostOptions, type PostResult } from '../../../src/notify/index.js';
import type { SourceLookup } from '../../../src/pipeline/index.js';
import type { FetchResult, ParseResult } from '../../../src/sources/index.js';

export function makeSource(id: string, extra: Partial<Source> = {}): Source {
  return { id, type: 'rss', url: `http://feeds.test/${id}.xml`, everyMs: 60_000, name: `Outlet ${id}`, ...extra };
}

export function makeItem(sourceId: string, id: string, title: string, extra: Partial<Item> = {}): Item {
  return { sourceId, id, title, summary: `${title}. Summary text.`, url: `https://news.test/${sourceId}/${id}`, ...extra };
}

export function sourceLookup(sources: readonly Source[]): SourceLookup {
  const byId = new Map(sources.map((s) => [s.id, s]));
  return { get: (id) => Promise.resolve(byId.get(id)) };
}

/**
 * A fetcher whose answer per URL is set by the test; the feed "text" is the JSON of its items,
 * read back by {@link jsonParse}. Records the validators each request carried.
 */
export interface ScriptedFetch {
  fetch(url: string, options: { etag?: string; lastModified?: string }): Promise<FetchResult>;
  set(url: string, answer: FetchResult | Item[]): void;
  calls: Array<{ url: string; etag?: string; lastModified?: string }>;
}

export function scriptedFetch(): ScriptedFetch {
  const answers = new Map<string, FetchResult>();
  const calls: ScriptedFetch['calls'] = [];
  return {
    calls,
    set(url, answer) {
      answers.set(
        url,
        Array.isArray(answer)
          ? { kind: 'ok', status: 200, url, text: JSON.stringify(answer), charset: 'utf-8', bytes: 100, etag: `"v${calls.length}"` }
          : answer,
      );
    },
    fetch(url, options) {
      const call: ScriptedFetch['calls'][number] = { url };
      if (options.etag !== undefined) call.etag = options.etag;
      if (options.lastModified !== undefined) call.lastModified = options.lastModified;
      calls.push(call);
      return Promise.resolve(answers.get(url) ?? { kind: 'error', code: 'network', message: `no answer scripted for ${url}`, url });
    },
  };
}

/** Reads the feed text written by {@link scriptedFetch}. */
export function jsonParse(text: string): Promise<ParseResult> {
  try {
    return Promise.resolve({ kind: 'ok', items: JSON.parse(text) as Item[], warnings: [] });
  } catch (error) {
    return Promise.resolve({ kind: 'error', message: String(error) });
  }
}

/** A classification with the given outcome; `tags` go on its one rule. */
export function classification(decision: Decision, severity: Severity = 'medium', tags: string[] = []): Classification {
  const score = decision === 'alert' ? 20 : decision === 'review' ? 8 : 0;
  return {
    decision,
    score,
    severity,
    rules:
      decision === 'ignore'
        ? []
        : [{ rule: 'pack-a/rule-1', pack: 'pack-a', score, why: ['title: test (+1)'], ...(tags.length ? { tags } : {}) }],
    matches: [],
    entities: { people: [], places: [] },
  };
}

/** Classifies by keywords in the title or text: "ALERT" (with "CRITICAL"), "REVIEW", else ignore. */
export function keywordClassifier(): { classify(input: ClassifyInput): Classification } {
  return {
    classify({ title, text }) {
      const all = `${title} ${text}`;
      if (all.includes('ALERT')) return classification('alert', all.includes('CRITICAL') ? 'critical' : 'high');
      if (all.includes('REVIEW')) return classification('review', 'low');
      return classification('ignore', 'low');
    },
  };
}

export function makeAlert(extra: Partial<Alert> = {}): Alert {
  return {
    id: 'al_st_1',
    storyId: 'st_1',
    decision: 'alert',
    severity: 'high',
    score: 20,
    title: 'Escapees forcibly returned',
    sourceId: 'src-a',
    sourceName: 'Outlet A',
    discoveredAt: '2026-01-01T00:00:00.000Z',
    matches: [],
    rules: [{ rule: 'pack-a/rule-1', pack: 'pack-a', score: 20, why: [] }],
    entities: { people: [], places: [] },
    alsoReportedBy: [],
    ...extra,
  };
}

/** One call a {@link FakeNotifier} saw. */
export type NotifierCall =
  | { op: 'post'; channel: string; alert: Alert; options: PostOptions }
  | { op: 'edit'; channel: string; messageId: string; alert: Alert }
  | { op: 'find'; channel: string; alertId: string };

export interface FakeNotifier extends Notifier {
  calls: NotifierCall[];
  /** Messages that "landed": message id → channel and alert id. */
  messages: Map<string, { channel: string; alertId: string }>;
  /** The next post/edit throws this instead (once each). */
  failNext(error: unknown): void;
  /** The next post lands, then throws as if the answer were lost (ambiguous send). */
  loseNextAnswer(): void;
}

export interface FakeNotifierOptions {
  withFindPosted?: boolean;
  /** Runs while a post is "in flight" (after the call, before it lands). */
  duringPost?: (alert: Alert) => Promise<void>;
}

export function fakeNotifier(platform: 'discord' | 'slack', options: FakeNotifierOptions = {}): FakeNotifier {
  const calls: NotifierCall[] = [];
  const messages = new Map<string, { channel: string; alertId: string }>();
  const failures: unknown[] = [];
  let loseAnswer = false;
  let next = 1;
  const notifier: FakeNotifier = {
    platform,
    calls,
    messages,
    failNext(error) {
      failures.push(error);
    },
    loseNextAnswer() {
      loseAnswer = true;
    },
    async post(channel, alert, postOptions): Promise<PostResult> {
      calls.push({ op: 'post', channel, alert, options: postOptions });
      const failure = failures.shift();
      if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
      await options.duringPost?.(alert);
      const messageId = `m${next++}`;
      messages.set(messageId, { channel, alertId: alert.id });
      if (loseAnswer) {
        loseAnswer = false;
        throw new DeliveryError({ platform, transport: 'network' }, 'connection reset after send');
      }
      return { messageId, channel };
    },
    edit(channel, messageId, alert) {
      calls.push({ op: 'edit', channel, messageId, alert });
      const failure = failures.shift();
      return failure !== undefined ? Promise.reject(failure instanceof Error ? failure : new Error(String(failure))) : Promise.resolve();
    },
  };
  if (options.withFindPosted) {
    notifier.findPosted = (channel, alert) => {
      calls.push({ op: 'find', channel, alertId: alert.id });
      const found = [...messages].find(([, m]) => m.channel === channel && m.alertId === alert.id);
      return Promise.resolve(found ? { messageId: found[0], channel } : undefined);
    };
  }
  return notifier;
}

/** Collects operational warnings. */
export function opsLog(): { warnOps: (message: string) => Promise<void>; messages: string[] } {
  const messages: string[] = [];
  return { messages, warnOps: (message) => Promise.resolve(void messages.push(message)) };
}
