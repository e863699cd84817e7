import type { Redis } from 'ioredis';
import type { Config, Env } from '../src/config/index.js';
import type { Item, Source, Target } from '../src/domain/index.js';
import type { Logger, Metrics } from '../src/infra/index.js';
import { createConsoleNotifier, createDiscordNotifier, createSlackNotifier, type Notifier } from '../src/notify/index.js';
import type { NotifyJob, PipelineEvents, SourceLookup, WarnOps } from '../src/pipeline/index.js';
import { jobIdFor, postJobId, type Queues } from '../src/queue/index.js';
import { compileClassifier, loadRulePacks, type Classifier } from '../src/rules/index.js';
import { extractArticleText, fetchOptionsFor, fetchUrl, type FetchOptions } from '../src/sources/index.js';
import {
  createAlertStore,
  createChatSourceStore,
  createFetchStateStore,
  createHostSlots,
  createSeenStore,
  createTargetStateStore,
  type AlertStore,
  type ChatSourceStore,
  type FetchStateStore,
  type HostSlots,
  type SeenStore,
  type TargetStateStore,
} from '../src/store/index.js';
import { createStoryStore, type StoryStore } from '../src/stories/index.js';
import { createMuteStore } from '../src/triage/index.js';

/** Everything the role processors need, built once per process from config, env and Redis. */
export interface Runtime {
  config: Config;
  env: Env;
  log: Logger;
  metrics: Metrics;
  redis: Redis;
  queues: Queues;
  classifier: Classifier;
  sources: SourceRegistry;
  fetchState: FetchStateStore;
  seen: SeenStore;
  stories: StoryStore;
  alerts: AlertStore;
  targets: TargetStateStore;
  chatSources: ChatSourceStore;
  hostSlots: HostSlots;
  notifiers: Partial<Record<Target['platform'], Notifier>>;
  fetchOptions: Omit<FetchOptions, 'etag' | 'lastModified'>;
  events: PipelineEvents;
  warnOps: WarnOps;
  fetchArticleText(item: Item, source: Source): Promise<string | undefined>;
  /** Terms muted from chat (`/refwatch mute`), still in force. */
  mutedTerms(): Promise<string[]>;
  enqueueAnalyze(items: Array<{ item: Item; discoveredAt: string }>): Promise<void>;
  enqueueNotify(jobs: NotifyJob[]): Promise<void>;
}

/** The shortest poll interval the scheduler accepts (see syncSchedulers). */
const MIN_POLL_EVERY_MS = 1000;

/** Sources from the config file plus those added from chat (kept in Redis). */
export interface SourceRegistry extends SourceLookup {
  list(): Promise<Source[]>;
}

export function createSourceRegistry(config: Config, chatSources: ChatSourceStore, log: Logger): SourceRegistry {
  const fromConfig = new Map(config.sources.map((source) => [source.id, { ...source, origin: 'config' as const }]));
  return {
    async get(id) {
      const configured = fromConfig.get(id);
      if (configured) return configured;
      const { sources } = await chatSources.list();
      return sources.find((source) => source.id === id);
    },
    async list() {
      const { sources, invalid } = await chatSources.list();
      for (const bad of invalid) log.warn({ sourceId: bad.id }, `Ignoring an invalid chat source: ${bad.error}`);
      // The chat hash can be edited by hand; an interval the scheduler refuses must cost that
      // source only, not stop the poll role from booting for every other source.
      const chat = sources.filter((source) => {
        if (fromConfig.has(source.id)) return false;
        if (Number.isInteger(source.everyMs) && source.everyMs >= MIN_POLL_EVERY_MS) return true;
        log.warn(
          { sourceId: source.id },
          `Ignoring chat source ${source.id}: its interval (${source.everyMs} ms) is not a whole number of ms ≥ ${MIN_POLL_EVERY_MS}; remove and re-add it from chat`,
        );
        return false;
      });
      return [...fromConfig.values(), ...chat];
    },
  };
}

export interface RuntimeInput {
  config: Config;
  env: Env;
  log: Logger;
  metrics: Metrics;
  redis: Redis;
  queues: Queues;
  /** Add triage buttons to posted messages (a moderation client is running). */
  withActions: boolean;
}

export function createRuntime(input: RuntimeInput): Runtime {
  const { config, env, log, metrics, redis, queues } = input;
  const prefix = env.prefix;
  const classifier = compileClassifier(loadRulePacks(config.rules.packs), config.rules.thresholds ?? {});
  const chatSources = createChatSourceStore(redis, { prefix });
  const targets = createTargetStateStore(redis, { prefix });
  const mutes = createMuteStore(redis, { prefix });
  const notifiers = createNotifiers(env, input.withActions);
  const fetchOptions = fetchOptionsFor(config.fetch);

  const warnOps: WarnOps = async (message) => {
    log.warn({ ops: true }, message);
    for (const target of config.ops.to) {
      try {
        await postNotice(notifiers, target, message);
      } catch (err) {
        log.error({ err, target }, 'Could not post an operations warning');
      }
    }
  };

  const events: PipelineEvents = {
    polled: (source, outcome) => metrics.pollsTotal.inc({ source, outcome }),
    pollError: (source, code) => metrics.pollErrorsTotal.inc({ source, code }),
    newItems: (source, count) => metrics.itemsTotal.inc({ source }, count),
    decided: (decision) => metrics.decisionsTotal.inc({ decision }),
    posted: (target, alert, at) => {
      metrics.alertsPostedTotal.inc({ target });
      const discovered = Date.parse(alert.discoveredAt);
      if (Number.isFinite(discovered)) metrics.alertLatencySeconds.observe({ from: 'discovered' }, (at.getTime() - discovered) / 1000);
      const published = alert.published ? Date.parse(alert.published) : NaN;
      if (Number.isFinite(published))
        metrics.alertLatencySeconds.observe({ from: 'published' }, Math.max(0, (at.getTime() - published) / 1000));
    },
    deliveryFailed: (target, kind) => metrics.deliveryFailuresTotal.inc({ target, kind }),
  };

  return {
    config,
    env,
    log,
    metrics,
    redis,
    queues,
    classifier,
    sources: createSourceRegistry(config, chatSources, log),
    fetchState: createFetchStateStore(redis, { prefix }),
    seen: createSeenStore(redis, { prefix }),
    stories: createStoryStore(redis, { prefix, windowDays: config.pipeline.storyWindowDays }),
    alerts: createAlertStore(redis, { prefix }),
    targets,
    chatSources,
    hostSlots: createHostSlots(redis, { prefix, limit: config.fetch.perHostConcurrency, leaseMs: config.fetch.timeoutMs * 2 }),
    notifiers,
    fetchOptions,
    events,
    warnOps,
    mutedTerms: () => mutes.active(Date.now()),
    async fetchArticleText(item) {
      if (!item.url) return undefined;
      const page = await fetchUrl(item.url, fetchOptions);
      if (page.kind !== 'ok') {
        log.debug(
          { url: item.url, outcome: page.kind === 'error' ? page.code : page.kind },
          'Article fetch failed; classifying the feed text only',
        );
        return undefined;
      }
      return extractArticleText(page.text, page.url)?.text;
    },
    async enqueueAnalyze(items) {
      await queues.analyze.addBulk(
        items.map(({ item, discoveredAt }) => ({
          name: 'analyze' as const,
          data: { item, discoveredAt },
          opts: { jobId: jobIdFor('analyze', item.sourceId, item.id) },
        })),
      );
    },
    async enqueueNotify(jobs) {
      if (jobs.length === 0) return;
      const stamp = Date.now();
      await queues.notify.addBulk(
        jobs.map((job) => ({
          name: 'notify' as const,
          data: job,
          // One post job per (alert, target) ever; edits are distinct (each carries the latest content).
          opts: { jobId: job.action === 'post' ? postJobId(job.alertId, job.target) : jobIdFor('edit', job.alertId, job.target, stamp) },
        })),
      );
    },
  };
}

/** Platform clients from the environment; the console is always there. */
export function createNotifiers(env: Env, withActions: boolean): Partial<Record<Target['platform'], Notifier>> {
  const notifiers: Partial<Record<Target['platform'], Notifier>> = {
    console: createConsoleNotifier({ out: process.stdout, alertLogPath: `${env.dataDir}/alerts.jsonl` }),
  };
  if (env.discordToken) {
    notifiers.discord = createDiscordNotifier({ token: env.discordToken, apiUrl: env.discordApiUrl, withActions: () => withActions });
  }
  if (env.slackBotToken) {
    notifiers.slack = createSlackNotifier({
      token: env.slackBotToken,
      ...(env.slackApiUrl ? { apiUrl: env.slackApiUrl } : {}),
      withActions: () => withActions,
    });
  }
  return notifiers;
}

async function postNotice(notifiers: Partial<Record<Target['platform'], Notifier>>, target: string, message: string): Promise<void> {
  const platform = target.split(':')[0] as Target['platform'];
  const channel = target.slice(platform.length + 1) || 'console';
  const notifier = notifiers[platform];
  if (notifier?.notice) await notifier.notice(channel, message);
}
