/**
 * Pipeline scale benchmark: the real bot (`startBot`, all roles in this process) against one
 * local feed server holding `feeds` RSS feeds and a local fake Discord.
 *   npx tsx bench/run.ts --only pipeline [--quick]
 * Phases: boot (scheduler sync) → first full cycle (every feed polled once: baseline) →
 * steady cycle (every feed answers 304) → analyze throughput (matching, then off-topic items
 * enqueued straight on the analyze queue) → notify drain → alert latency (new items appear in
 * feeds polled every 10 s; time until the post reaches the fake Discord).
 * A cycle is one poll job per source added directly to the poll queue, timed until all complete.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig, loadEnv, processEnv, type Config } from '../src/config/index.js';
import type { Item, Source } from '../src/domain/index.js';
import { createLogger } from '../src/infra/index.js';
import type { PollOutcome } from '../src/pipeline/index.js';
import { WORKER_DEFAULTS } from '../src/queue/index.js';
import { startFakeDiscord, type FakeDiscord } from '../test/fakes/discord-api.js';
import { startBot, type RunningBot } from '../workers/main.js';
import { ignoredItem, matchingItem, seededRandom, type FeedItem } from './corpus.js';
import { startFeedProcess, type FeedProcess, type FeedServerStats } from './feed-server.js';
import { percentile, round, startRssSampler, stopwatch, waitUntil, type PhaseTime, type SummaryRow } from './measure.js';

/** Sizes of a run; see {@link PIPELINE_FULL} and {@link PIPELINE_QUICK}. */
export interface PipelineBenchOptions {
  feeds: number;
  itemsPerFeed: number;
  /** Items of each kind (matching, off-topic) enqueued on the analyze queue. */
  analyzeItems: number;
  /** New items that appear in feeds during the latency phase. */
  latencyItems: number;
  /** How many of the feeds are polled on a schedule (the rest only by the cycle phases). */
  latencyFeeds: number;
  pollEveryMs: number;
  /** Longest wait for one phase before it is reported as incomplete. */
  phaseTimeoutMs: number;
  /** The bot's log level (default "error", so the table is not buried in logs). */
  logLevel?: string;
}

/** Issue 3's scale: 2,000 feeds × 20 items, latency over ~50 items at 10 s polling. */
export const PIPELINE_FULL: PipelineBenchOptions = {
  feeds: 2000, itemsPerFeed: 20, analyzeItems: 2000, latencyItems: 50, latencyFeeds: 10, pollEveryMs: 10_000, phaseTimeoutMs: 600_000,
};
/** A smaller run for a quick check (`--quick`). */
export const PIPELINE_QUICK: PipelineBenchOptions = {
  feeds: 200, itemsPerFeed: 20, analyzeItems: 200, latencyItems: 10, latencyFeeds: 5, pollEveryMs: 10_000, phaseTimeoutMs: 180_000,
};

/** Targets from issue 3. */
export const PIPELINE_TARGETS = { steadyCycleSeconds: 30, peakRssMb: 300, latencyP95OverPollMs: 2000 } as const;

interface CycleResult extends PhaseTime {
  polls: number;
  complete: boolean;
  feedsPerSec: number;
  outcomes: Record<string, number>;
  /** Items seen in 200 responses (a baseline records them all as seen). */
  items: number;
  peakRssMb: number;
}

interface ThroughputResult extends PhaseTime {
  items: number;
  complete: boolean;
  itemsPerSec: number;
  outcomes: Record<string, number>;
  peakRssMb: number;
}

/** Everything the pipeline benchmark measured. */
export interface PipelineBenchResult {
  setup: {
    feeds: number;
    itemsPerFeed: number;
    pollConcurrency: number;
    perHostConcurrency: number;
    hosts: string;
    latencyFeeds: number;
    pollEveryMs: number;
    bootSeconds: number;
    /** RSS when the benchmark started (runtime, tsx and libraries already loaded). */
    rssAtStartMb: number;
  };
  firstCycle: CycleResult;
  steadyCycle: CycleResult;
  analyzeMatching: ThroughputResult;
  analyzeIgnored: ThroughputResult;
  notifyDrain: ThroughputResult;
  latency: { items: number; posted: number; p50Ms: number; p95Ms: number; maxMs: number; peakRssMb: number };
  peakRssMb: number;
  feedServer: FeedServerStats;
  targets: { steadyCycleSeconds: number; peakRssMb: number; latencyP95Ms: number };
}

const DAY_MS = 86_400_000;
const CHANNEL = '112233445566778899';
const BATCH = 500;

/** A feed item as the parser would hand it to analyze. */
function toItem(sourceId: string, item: FeedItem): Item {
  return {
    sourceId, id: item.guid, title: item.title, summary: item.description, url: item.link,
    canonicalUrl: item.link, published: new Date(item.published).toISOString(), lang: 'en',
  };
}

function tally(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

function benchConfig(base: Config, feedUrl: string, options: PipelineBenchOptions, perHost: number): Config {
  const sources: Source[] = [];
  for (let i = 0; i < options.feeds; i++) {
    sources.push({
      id: `bench-${i}`, type: 'rss', name: `Bench feed ${i}`, url: `${feedUrl}/feed/${i}.xml`, lang: 'en',
      // Only the latency feeds run on a schedule; a day keeps the rest out of the cycle timings.
      everyMs: i < options.latencyFeeds ? options.pollEveryMs : DAY_MS,
    });
  }
  return {
    ...base,
    fetch: { ...base.fetch, allowPrivateNetworks: true, perHostConcurrency: perHost },
    sources,
    routes: [{ when: { decision: ['alert', 'review'] }, to: [`discord:${CHANNEL}`] }],
    ops: { to: [] },
  };
}

async function deleteKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
  return deleted;
}

/** Runs every phase once; `progress` receives one line per phase. */
export async function runPipelineBench(
  options: PipelineBenchOptions = PIPELINE_FULL,
  progress: (line: string) => void = () => {},
): Promise<PipelineBenchResult> {
  const rawEnv = processEnv();
  const env = loadEnv(rawEnv);
  const runId = randomUUID().slice(0, 8);
  const prefix = `refwatch-bench-${runId}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'refwatch-bench-'));
  const rssAtStartMb = round(process.memoryUsage().rss / 1e6, 0);
  const sampler = startRssSampler();
  const rand = seededRandom(7);
  // All feeds share 127.0.0.1, so the per-host limit is raised to the poll worker's concurrency
  // (otherwise 2 fetches at a time would measure the politeness limit, not the pipeline).
  const pollConcurrency = WORKER_DEFAULTS.poll.concurrency;
  const perHost = pollConcurrency;

  let aborted = false;
  const onSigint = () => {
    aborted = true;
    progress('interrupted: cleaning up');
  };
  process.once('SIGINT', onSigint);

  let defaultPerHost = 0;
  let feeds: FeedProcess | undefined;
  let discord: FakeDiscord | undefined;
  let bot: RunningBot | undefined;
  try {
    feeds = await startFeedProcess({ feeds: options.feeds, itemsPerFeed: options.itemsPerFeed, epoch: Date.now() - DAY_MS });
    discord = await startFakeDiscord();
    const defaults = loadConfig({ env: rawEnv });
    defaultPerHost = defaults.fetch.perHostConcurrency;
    const config = benchConfig(defaults, feeds.url, options, perHost);

    const boot = stopwatch();
    bot = await startBot({
      env: {
        ...env, prefix, dataDir, logLevel: 'error', httpPort: undefined, slackBotToken: undefined, slackAppToken: undefined,
        discordToken: discord.token, discordApiUrl: discord.apiUrl,
      },
      rawEnv,
      roles: ['poll', 'analyze', 'notify'],
      log: createLogger({ level: options.logLevel ?? 'error' }),
      config,
    });
    const bootSeconds = boot().seconds;
    progress(`boot: ${options.feeds} sources scheduled in ${bootSeconds} s (prefix ${prefix})`);

    // Outcomes by phase, from the in-process workers' events.
    const polls = new Map<string, { done: number; outcomes: Record<string, number>; items: number }>();
    const analyzed: Record<string, number> = {};
    let analyzeDone = 0;
    let notifyDone = 0;
    const notifyFailures: Record<string, number> = {};
    const pollPhase = (job: Job | undefined) => /^bench-([a-z0-9]+)-\d+$/.exec(job?.id ?? '')?.[1];
    const recordPoll = (phase: string, kind: string, outcome?: PollOutcome) => {
      const entry = polls.get(phase) ?? { done: 0, outcomes: {}, items: 0 };
      polls.set(phase, entry);
      entry.done++;
      tally(entry.outcomes, kind);
      if (outcome?.kind === 'ok') entry.items += outcome.items;
    };
    for (const worker of bot.workers) {
      if (worker.name === 'poll') {
        worker.on('completed', (job, result) => {
          const phase = pollPhase(job);
          const outcome = result as PollOutcome;
          if (phase) recordPoll(phase, outcome.kind === 'ok' && outcome.baseline ? 'baseline' : outcome.kind, outcome);
        });
        worker.on('failed', (job) => {
          const phase = pollPhase(job);
          if (phase) recordPoll(phase, 'job-failed');
        });
      } else if (worker.name === 'analyze') {
        worker.on('completed', (_job, result) => {
          analyzeDone++;
          tally(analyzed, String(result));
        });
        worker.on('failed', (job) => {
          // Only the last attempt counts as done; earlier ones are retried.
          if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
            analyzeDone++;
            tally(analyzed, 'job-failed');
          }
        });
      } else {
        worker.on('completed', () => notifyDone++);
        worker.on('failed', (_job, err) => tally(notifyFailures, err.message.slice(0, 120)));
      }
    }
    const { queues, enqueueAnalyze } = bot.runtime;

    const cycle = async (phase: string): Promise<CycleResult> => {
      sampler.mark();
      const time = stopwatch();
      for (let start = 0; start < options.feeds; start += BATCH) {
        const jobs = [];
        for (let i = start; i < Math.min(options.feeds, start + BATCH); i++) {
          jobs.push({ name: 'poll' as const, data: { sourceId: `bench-${i}` }, opts: { jobId: `bench-${phase}-${i}` } });
        }
        await queues.poll.addBulk(jobs);
      }
      const complete = await waitUntil(() => aborted || (polls.get(phase)?.done ?? 0) >= options.feeds, options.phaseTimeoutMs);
      const t = time();
      const entry = polls.get(phase) ?? { done: 0, outcomes: {}, items: 0 };
      return {
        ...t, polls: entry.done, complete: complete && !aborted, feedsPerSec: round(entry.done / t.seconds),
        outcomes: entry.outcomes, items: entry.items, peakRssMb: sampler.peakSince(),
      };
    };

    const throughput = async (
      count: number,
      start: () => Promise<void>,
      done: () => number,
      outcomes: () => Record<string, number>,
    ): Promise<ThroughputResult> => {
      sampler.mark();
      const before = done();
      const beforeOutcomes = { ...outcomes() };
      const time = stopwatch();
      await start();
      const complete = await waitUntil(() => aborted || done() - before >= count, options.phaseTimeoutMs);
      const t = time();
      const items = done() - before;
      const delta: Record<string, number> = {};
      for (const [key, value] of Object.entries(outcomes())) {
        if (value - (beforeOutcomes[key] ?? 0) > 0) delta[key] = value - (beforeOutcomes[key] ?? 0);
      }
      return { ...t, items, complete: complete && !aborted, itemsPerSec: round(items / t.seconds), outcomes: delta, peakRssMb: sampler.peakSince() };
    };

    const enqueueItems = async (make: (i: number) => FeedItem) => {
      const discoveredAt = new Date().toISOString();
      for (let start = 0; start < options.analyzeItems; start += BATCH) {
        const batch = [];
        for (let i = start; i < Math.min(options.analyzeItems, start + BATCH); i++) {
          batch.push({ item: toItem(`bench-${i % options.feeds}`, make(i)), discoveredAt });
        }
        await enqueueAnalyze(batch);
      }
    };

    const firstCycle = await cycle('c1');
    progress(`first cycle: ${firstCycle.polls} polls, ${firstCycle.items} items in ${firstCycle.seconds} s`);
    const steadyCycle = await cycle('c2');
    progress(`steady cycle: ${steadyCycle.polls} polls in ${steadyCycle.seconds} s`);

    // Posts start while analyze is still running, so the drain is timed from the same start.
    const postsBefore = discord.ledger.length;
    const notifyBefore = notifyDone;
    const drainTime = stopwatch();
    const analyzeMatching = await throughput(
      options.analyzeItems,
      () => enqueueItems((i) => matchingItem(`m${runId}x${i}`, 1000 + i, Date.now())),
      () => analyzeDone,
      () => analyzed,
    );
    progress(`analyze (matching): ${analyzeMatching.items} items in ${analyzeMatching.seconds} s`);
    const expectedPosts = analyzeMatching.outcomes['new-story'] ?? 0;
    const posts = () => (discord ? discord.ledger.length - postsBefore : 0);
    const drained = await waitUntil(() => aborted || posts() >= expectedPosts, options.phaseTimeoutMs);
    const drainSpent = drainTime();
    const notifyDrain: ThroughputResult = {
      ...drainSpent, items: posts(), complete: drained && !aborted, itemsPerSec: round(posts() / drainSpent.seconds),
      outcomes: { completedJobs: notifyDone - notifyBefore, ...notifyFailures }, peakRssMb: sampler.peakSince(),
    };
    progress(`notify drain: ${notifyDrain.items} posts ${notifyDrain.seconds} s after analyze started`);
    if (!notifyDrain.complete) {
      const counts = await queues.notify.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
      progress(`notify queue: ${JSON.stringify(counts)}; failures ${JSON.stringify(notifyFailures)}`);
    }
    const analyzeIgnored = await throughput(
      options.analyzeItems,
      () => enqueueItems((i) => ignoredItem(`p${runId}x${i}`, 5000 + i, Date.now())),
      () => analyzeDone,
      () => analyzed,
    );
    progress(`analyze (off-topic): ${analyzeIgnored.items} items in ${analyzeIgnored.seconds} s`);

    // Latency: new items appear at irregular moments in the scheduled feeds.
    sampler.mark();
    const appeared = new Map<string, number>();
    for (let j = 0; j < options.latencyItems && !aborted; j++) {
      await new Promise((resolve) => setTimeout(resolve, 800 + Math.floor(rand() * 1200)));
      const token = `L${runId}x${j}`;
      appeared.set(token, await feeds.add(j % options.latencyFeeds, matchingItem(token, 9000 + j, Date.now())));
    }
    const postedAt = new Map<string, number>();
    const ledger = discord.ledger;
    let scanned = postsBefore;
    await waitUntil(() => {
      for (; scanned < ledger.length; scanned++) {
        const entry = ledger[scanned];
        const text = entry ? JSON.stringify(entry.payload) : '';
        const token = /L[0-9a-f]{8}x\d+/.exec(text)?.[0];
        if (entry && token && appeared.has(token) && !postedAt.has(token)) postedAt.set(token, entry.createdAt);
      }
      return aborted || postedAt.size >= appeared.size;
    }, options.pollEveryMs + 60_000);
    const latencies = [...postedAt].map(([token, at]) => at - (appeared.get(token) ?? at));
    const latency = {
      items: appeared.size, posted: postedAt.size, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95),
      maxMs: latencies.length > 0 ? Math.max(...latencies) : Number.NaN, peakRssMb: sampler.peakSince(),
    };
    progress(`latency: ${latency.posted}/${latency.items} posted, p50 ${latency.p50Ms} ms, p95 ${latency.p95Ms} ms`);

    return {
      setup: {
        feeds: options.feeds, itemsPerFeed: options.itemsPerFeed, pollConcurrency, perHostConcurrency: perHost,
        hosts: `one host (127.0.0.1); fetch.perHostConcurrency raised from ${defaultPerHost} to ${perHost}`,
        latencyFeeds: options.latencyFeeds, pollEveryMs: options.pollEveryMs, bootSeconds, rssAtStartMb,
      },
      firstCycle, steadyCycle, analyzeMatching, analyzeIgnored, notifyDrain, latency,
      peakRssMb: sampler.peak(),
      feedServer: await feeds.stats(),
      targets: {
        steadyCycleSeconds: PIPELINE_TARGETS.steadyCycleSeconds, peakRssMb: PIPELINE_TARGETS.peakRssMb,
        latencyP95Ms: options.pollEveryMs + PIPELINE_TARGETS.latencyP95OverPollMs,
      },
    };
  } finally {
    process.removeListener('SIGINT', onSigint);
    sampler.stop();
    const redisUrl = bot?.redisUrl;
    const embedded = bot?.embeddedRedis !== undefined;
    await bot?.stop().catch((err: unknown) => progress(`bot stop failed: ${String(err)}`));
    if (redisUrl && !embedded) {
      await deleteKeys(redisUrl, prefix).then(
        (n) => progress(`cleanup: deleted ${n} keys under ${prefix}:`),
        (err: unknown) => progress(`cleanup failed; delete keys matching ${prefix}:* by hand (${String(err)})`),
      );
    }
    await discord?.close().catch(() => undefined);
    await feeds?.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Summary table rows for a pipeline result, against issue 3's targets. */
export function pipelineRows(r: PipelineBenchResult): SummaryRow[] {
  const row = (metric: string, value: string, target?: string, ok?: boolean): SummaryRow => ({
    bench: 'pipeline', metric, value, ...(target !== undefined ? { target } : {}), ...(ok !== undefined ? { ok } : {}),
  });
  const partial = (c: { complete: boolean }) => (c.complete ? '' : ' (INCOMPLETE)');
  return [
    row('setup', `${r.setup.feeds} feeds × ${r.setup.itemsPerFeed} items; ${r.setup.hosts}`),
    row('boot (scheduler sync)', `${r.setup.bootSeconds} s`),
    row('first cycle (baseline)', `${r.firstCycle.seconds} s, ${r.firstCycle.items} items, ${r.firstCycle.cpuSeconds} CPU-s${partial(r.firstCycle)}`),
    row('steady cycle (304s)', `${r.steadyCycle.seconds} s, ${r.steadyCycle.feedsPerSec} feeds/s${partial(r.steadyCycle)}`,
      `≤ ${r.targets.steadyCycleSeconds} s`, r.steadyCycle.complete && r.steadyCycle.seconds <= r.targets.steadyCycleSeconds),
    row('analyze, matching', `${r.analyzeMatching.itemsPerSec} items/s (${r.analyzeMatching.items})${partial(r.analyzeMatching)}`),
    row('analyze, off-topic', `${r.analyzeIgnored.itemsPerSec} items/s (${r.analyzeIgnored.items})${partial(r.analyzeIgnored)}`),
    row('notify drain', `${r.notifyDrain.items} posts in ${r.notifyDrain.seconds} s${partial(r.notifyDrain)}`),
    row('alert latency p50', `${r.latency.p50Ms} ms (${r.latency.posted}/${r.latency.items} posted)`),
    row('alert latency p95', `${r.latency.p95Ms} ms`, `< ${r.targets.latencyP95Ms} ms`,
      r.latency.posted === r.latency.items && r.latency.p95Ms < r.targets.latencyP95Ms),
    row('peak RSS', `${r.peakRssMb} MB (${r.setup.rssAtStartMb} MB at start)`, `< ${r.targets.peakRssMb} MB`, r.peakRssMb < r.targets.peakRssMb),
  ];
}
