/**
 * Pipeline scale benchmark: the real bot (`startBot`, all roles, built JS in its own `node`
 * process, see bot-process.ts) against a feed server holding `feeds` RSS feeds and a fake
 * Discord, each in its own process too. Only the bot's process is measured (RSS from /proc,
 * CPU from its own `process.cpuUsage`).
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
import { Redis } from 'ioredis';
import type { Item } from '../src/domain/index.js';
import { closeQueues, createQueues, jobIdFor, WORKER_DEFAULTS, type Queues } from '../src/queue/index.js';
import type { AgentCounters, AgentProbe } from './bot-agent.js';
import { buildBot, startBotProcess, type BotProcess } from './bot-process.js';
import { ignoredItem, matchingItem, seededRandom, type FeedItem } from './corpus.js';
import { startDiscordProcess, type DiscordProcess } from './discord-process.js';
import { startFeedProcess, type FeedProcess, type FeedServerStats } from './feed-server.js';
import { percentile, round, startRssSampler, waitUntil, type PhaseTime, type SummaryRow } from './measure.js';

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
  /** Skip `tsc` and use the existing dist/ (the agent is still transpiled). */
  skipBuild?: boolean;
  /** Write a heap snapshot of the bot into this folder after the notify drain (the usual peak). */
  heapSnapshotDir?: string;
}

/** Issue 3's scale: 2,000 feeds × 20 items, latency over ~50 items at 10 s polling. */
export const PIPELINE_FULL: PipelineBenchOptions = {
  feeds: 2000,
  itemsPerFeed: 20,
  analyzeItems: 2000,
  latencyItems: 50,
  latencyFeeds: 10,
  pollEveryMs: 10_000,
  phaseTimeoutMs: 600_000,
};
/** A smaller run for a quick check (`--quick`). */
export const PIPELINE_QUICK: PipelineBenchOptions = {
  feeds: 200,
  itemsPerFeed: 20,
  analyzeItems: 200,
  latencyItems: 10,
  latencyFeeds: 5,
  pollEveryMs: 10_000,
  phaseTimeoutMs: 180_000,
};

/** Targets from issue 3. */
export const PIPELINE_TARGETS = { steadyCycleSeconds: 30, peakRssMb: 300, latencyP95OverPollMs: 2000 } as const;

/** The bot's `process.memoryUsage()` at the end of a phase, MB. */
export interface MemoryMb {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

interface PhaseResult extends PhaseTime {
  complete: boolean;
  peakRssMb: number;
  memoryAfter: MemoryMb;
}

interface CycleResult extends PhaseResult {
  polls: number;
  feedsPerSec: number;
  outcomes: Record<string, number>;
  /** Items seen in 200 responses (a baseline records them all as seen). */
  items: number;
}

interface ThroughputResult extends PhaseResult {
  items: number;
  itemsPerSec: number;
  outcomes: Record<string, number>;
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
    buildSeconds: number;
    /** What was measured: the bot's process and how it was started. */
    measured: string;
    /** The bot's RSS once its modules were loaded, before `startBot`. */
    rssAtStartMb: number;
    /** The bot's memory once booted (2 000 schedulers synced). */
    memoryAfterBoot: MemoryMb;
  };
  firstCycle: CycleResult;
  steadyCycle: CycleResult;
  analyzeMatching: ThroughputResult;
  analyzeIgnored: ThroughputResult;
  notifyDrain: ThroughputResult;
  latency: { items: number; posted: number; p50Ms: number; p95Ms: number; maxMs: number; peakRssMb: number };
  /** Largest of the 100 ms samples and the kernel's VmHWM for the bot's process. */
  peakRssMb: number;
  heapSnapshot?: string;
  feedServer: FeedServerStats;
  discordRssMb: number;
  targets: { steadyCycleSeconds: number; peakRssMb: number; latencyP95Ms: number };
}

const DAY_MS = 86_400_000;
const CHANNEL = '112233445566778899';
const BATCH = 500;
const LATENCY_TOKEN = /L[0-9a-f]{8}x\d+/;

/** A feed item as the parser would hand it to analyze. */
function toItem(sourceId: string, item: FeedItem): Item {
  return {
    sourceId,
    id: item.guid,
    title: item.title,
    summary: item.description,
    url: item.link,
    canonicalUrl: item.link,
    published: new Date(item.published).toISOString(),
    lang: 'en',
  };
}

function memoryMb(memory: NodeJS.MemoryUsage): MemoryMb {
  const mb = (bytes: number) => round(bytes / 1e6, 0);
  return {
    rss: mb(memory.rss),
    heapTotal: mb(memory.heapTotal),
    heapUsed: mb(memory.heapUsed),
    external: mb(memory.external),
    arrayBuffers: mb(memory.arrayBuffers),
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
  const runId = randomUUID().slice(0, 8);
  const prefix = `refwatch-bench-${runId}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'refwatch-bench-'));
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

  let feeds: FeedProcess | undefined;
  let discord: DiscordProcess | undefined;
  let bot: BotProcess | undefined;
  let producer: Redis | undefined;
  let queues: Queues | undefined;
  const sampler = startRssSampler(100, () => bot?.memory()?.rss);
  try {
    const build = await buildBot({ skipTsc: options.skipBuild ?? false });
    for (const line of build.warnings) progress(`build warning: ${line}`);
    progress(`build: dist/ ready in ${build.seconds} s`);
    feeds = await startFeedProcess({ feeds: options.feeds, itemsPerFeed: options.itemsPerFeed, epoch: Date.now() - DAY_MS });
    discord = await startDiscordProcess();
    bot = await startBotProcess({
      prefix,
      dataDir,
      feedUrl: feeds.url,
      feeds: options.feeds,
      latencyFeeds: options.latencyFeeds,
      pollEveryMs: options.pollEveryMs,
      perHostConcurrency: perHost,
      channel: CHANNEL,
      discordToken: discord.token,
      discordApiUrl: discord.apiUrl,
      logLevel: options.logLevel ?? 'error',
    });
    const running = bot;
    const rssAtStartMb = round((bot.rssBeforeStart ?? 0) / 1e6, 0);
    const probe = (): Promise<AgentProbe> => running.agent.call('probe');
    const counters = async (): Promise<AgentCounters> => (await probe()).counters;
    const memoryAfterBoot = memoryMb((await probe()).memory);
    progress(
      `boot: ${options.feeds} sources scheduled in ${bot.bootSeconds} s (prefix ${prefix}); measuring pid ${bot.pid}: ${bot.startedWith}`,
    );

    producer = new Redis(bot.redisUrl, { maxRetriesPerRequest: null });
    const q = createQueues(producer, prefix);
    queues = q;

    /** Times a phase: wall clock here, CPU and memory of the bot's process. */
    const phase = async () => {
      sampler.mark();
      const started = performance.now();
      const cpu = (await probe()).cpu;
      return async () => {
        const after = await probe();
        const cpuSeconds = round((after.cpu.user - cpu.user + after.cpu.system - cpu.system) / 1e6, 2);
        return {
          seconds: round((performance.now() - started) / 1000, 2),
          cpuSeconds,
          peakRssMb: sampler.peakSince(),
          memoryAfter: memoryMb(after.memory),
          counters: after.counters,
        };
      };
    };

    const cycle = async (name: string): Promise<CycleResult> => {
      const end = await phase();
      for (let start = 0; start < options.feeds; start += BATCH) {
        const jobs = [];
        for (let i = start; i < Math.min(options.feeds, start + BATCH); i++) {
          jobs.push({ name: 'poll' as const, data: { sourceId: `bench-${i}` }, opts: { jobId: `bench-${name}-${i}` } });
        }
        await q.poll.addBulk(jobs);
      }
      const complete = await waitUntil(
        async () => aborted || ((await counters()).polls[name]?.done ?? 0) >= options.feeds,
        options.phaseTimeoutMs,
        100,
      );
      const { counters: after, ...t } = await end();
      const entry = after.polls[name] ?? { done: 0, outcomes: {}, items: 0 };
      return {
        ...t,
        polls: entry.done,
        complete: complete && !aborted,
        feedsPerSec: round(entry.done / t.seconds),
        outcomes: entry.outcomes,
        items: entry.items,
      };
    };

    const throughput = async (
      start: () => Promise<void>,
      done: (c: AgentCounters) => number,
      outcomes: (c: AgentCounters) => Record<string, number>,
    ): Promise<ThroughputResult> => {
      const before = await counters();
      const end = await phase();
      await start();
      const complete = await waitUntil(
        async () => aborted || done(await counters()) - done(before) >= options.analyzeItems,
        options.phaseTimeoutMs,
        100,
      );
      const { counters: after, ...t } = await end();
      const items = done(after) - done(before);
      const delta: Record<string, number> = {};
      for (const [key, value] of Object.entries(outcomes(after))) {
        const grew = value - (outcomes(before)[key] ?? 0);
        if (grew > 0) delta[key] = grew;
      }
      return { ...t, items, complete: complete && !aborted, itemsPerSec: round(items / t.seconds), outcomes: delta };
    };

    const enqueueItems = async (make: (i: number) => FeedItem) => {
      const discoveredAt = new Date().toISOString();
      for (let start = 0; start < options.analyzeItems; start += BATCH) {
        const jobs = [];
        for (let i = start; i < Math.min(options.analyzeItems, start + BATCH); i++) {
          const item = toItem(`bench-${i % options.feeds}`, make(i));
          // The same job ids as the bot's own enqueueAnalyze (workers/runtime.ts).
          jobs.push({
            name: 'analyze' as const,
            data: { item, discoveredAt },
            opts: { jobId: jobIdFor('analyze', item.sourceId, item.id) },
          });
        }
        await q.analyze.addBulk(jobs);
      }
    };

    const firstCycle = await cycle('c1');
    progress(`first cycle: ${firstCycle.polls} polls, ${firstCycle.items} items in ${firstCycle.seconds} s`);
    const steadyCycle = await cycle('c2');
    progress(`steady cycle: ${steadyCycle.polls} polls in ${steadyCycle.seconds} s`);

    // Posts start while analyze is still running, so the drain is timed from the same start.
    const fake = discord;
    const postsBefore = await fake.count();
    const notifyBefore = (await counters()).notifyDone;
    const endDrain = await phase();
    const analyzeMatching = await throughput(
      () => enqueueItems((i) => matchingItem(`m${runId}x${i}`, 1000 + i, Date.now())),
      (c) => c.analyzeDone,
      (c) => c.analyzed,
    );
    progress(`analyze (matching): ${analyzeMatching.items} items in ${analyzeMatching.seconds} s`);
    const expectedPosts = analyzeMatching.outcomes['new-story'] ?? 0;
    let posts = 0;
    const drained = await waitUntil(
      async () => {
        posts = (await fake.count()) - postsBefore;
        return aborted || posts >= expectedPosts;
      },
      options.phaseTimeoutMs,
      100,
    );
    const { counters: afterDrain, ...drainSpent } = await endDrain();
    // The analyze phase re-marked the sampler; the drain's peak is the larger of the two windows.
    const notifyDrain: ThroughputResult = {
      ...drainSpent,
      peakRssMb: Math.max(drainSpent.peakRssMb, analyzeMatching.peakRssMb),
      items: posts,
      complete: drained && !aborted,
      itemsPerSec: round(posts / drainSpent.seconds),
      outcomes: { completedJobs: afterDrain.notifyDone - notifyBefore, ...afterDrain.notifyFailures },
    };
    progress(`notify drain: ${notifyDrain.items} posts ${notifyDrain.seconds} s after analyze started`);
    if (!notifyDrain.complete) {
      const jobCounts = await q.notify.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
      progress(`notify queue: ${JSON.stringify(jobCounts)}; failures ${JSON.stringify(afterDrain.notifyFailures)}`);
    }
    const heapSnapshot = options.heapSnapshotDir
      ? await bot.agent.callWithin(300_000, 'heapSnapshot', { dir: path.resolve(options.heapSnapshotDir) })
      : undefined;
    if (heapSnapshot) progress(`heap snapshot: ${heapSnapshot}`);
    const analyzeIgnored = await throughput(
      () => enqueueItems((i) => ignoredItem(`p${runId}x${i}`, 5000 + i, Date.now())),
      (c) => c.analyzeDone,
      (c) => c.analyzed,
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
    let scanned = postsBefore;
    await waitUntil(
      async () => {
        const { next, matches } = await fake.find(scanned, LATENCY_TOKEN);
        scanned = next;
        for (const { token, createdAt } of matches) if (appeared.has(token) && !postedAt.has(token)) postedAt.set(token, createdAt);
        return aborted || postedAt.size >= appeared.size;
      },
      options.pollEveryMs + 60_000,
      100,
    );
    const latencies = [...postedAt].map(([token, at]) => at - (appeared.get(token) ?? at));
    const latency = {
      items: appeared.size,
      posted: postedAt.size,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      maxMs: latencies.length > 0 ? Math.max(...latencies) : Number.NaN,
      peakRssMb: sampler.peakSince(),
    };
    progress(`latency: ${latency.posted}/${latency.items} posted, p50 ${latency.p50Ms} ms, p95 ${latency.p95Ms} ms`);

    return {
      setup: {
        feeds: options.feeds,
        itemsPerFeed: options.itemsPerFeed,
        pollConcurrency,
        perHostConcurrency: perHost,
        hosts: `one host (127.0.0.1); fetch.perHostConcurrency raised from ${bot.defaultPerHost} to ${perHost}`,
        latencyFeeds: options.latencyFeeds,
        pollEveryMs: options.pollEveryMs,
        bootSeconds: bot.bootSeconds,
        buildSeconds: build.seconds,
        measured: `the bot's process alone (pid ${bot.pid}: ${bot.startedWith}); feed server, fake Discord and this harness run in other processes`,
        rssAtStartMb,
        memoryAfterBoot,
      },
      firstCycle,
      steadyCycle,
      analyzeMatching,
      analyzeIgnored,
      notifyDrain,
      latency,
      peakRssMb: Math.max(sampler.peak(), round((bot.memory()?.peakRss ?? 0) / 1e6, 0)),
      ...(heapSnapshot ? { heapSnapshot } : {}),
      feedServer: await feeds.stats(),
      discordRssMb: await fake.rssMb(),
      targets: {
        steadyCycleSeconds: PIPELINE_TARGETS.steadyCycleSeconds,
        peakRssMb: PIPELINE_TARGETS.peakRssMb,
        latencyP95Ms: options.pollEveryMs + PIPELINE_TARGETS.latencyP95OverPollMs,
      },
    };
  } finally {
    process.removeListener('SIGINT', onSigint);
    sampler.stop();
    const redisUrl = bot?.redisUrl;
    const embedded = bot?.embeddedRedis ?? false;
    if (queues) await closeQueues(queues).catch(() => undefined);
    await producer?.quit().catch(() => undefined);
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
    bench: 'pipeline',
    metric,
    value,
    ...(target !== undefined ? { target } : {}),
    ...(ok !== undefined ? { ok } : {}),
  });
  const partial = (c: { complete: boolean }) => (c.complete ? '' : ' (INCOMPLETE)');
  const m = r.notifyDrain.memoryAfter;
  return [
    row('measured', r.setup.measured),
    row('setup', `${r.setup.feeds} feeds × ${r.setup.itemsPerFeed} items; ${r.setup.hosts}`),
    row('boot (scheduler sync)', `${r.setup.bootSeconds} s`),
    row(
      'first cycle (baseline)',
      `${r.firstCycle.seconds} s, ${r.firstCycle.items} items, ${r.firstCycle.cpuSeconds} CPU-s${partial(r.firstCycle)}`,
    ),
    row(
      'steady cycle (304s)',
      `${r.steadyCycle.seconds} s, ${r.steadyCycle.feedsPerSec} feeds/s${partial(r.steadyCycle)}`,
      `≤ ${r.targets.steadyCycleSeconds} s`,
      r.steadyCycle.complete && r.steadyCycle.seconds <= r.targets.steadyCycleSeconds,
    ),
    row('analyze, matching', `${r.analyzeMatching.itemsPerSec} items/s (${r.analyzeMatching.items})${partial(r.analyzeMatching)}`),
    row('analyze, off-topic', `${r.analyzeIgnored.itemsPerSec} items/s (${r.analyzeIgnored.items})${partial(r.analyzeIgnored)}`),
    row('notify drain', `${r.notifyDrain.items} posts in ${r.notifyDrain.seconds} s${partial(r.notifyDrain)}`),
    row('alert latency p50', `${r.latency.p50Ms} ms (${r.latency.posted}/${r.latency.items} posted)`),
    row(
      'alert latency p95',
      `${r.latency.p95Ms} ms`,
      `< ${r.targets.latencyP95Ms} ms`,
      r.latency.posted === r.latency.items && r.latency.p95Ms < r.targets.latencyP95Ms,
    ),
    row(
      'bot memory after notify drain',
      `heap ${m.heapUsed}/${m.heapTotal} MB, external ${m.external} MB (array buffers ${m.arrayBuffers} MB), RSS ${m.rss} MB`,
    ),
    row(
      'peak RSS (bot process)',
      `${r.peakRssMb} MB (${r.setup.rssAtStartMb} MB at start, ${r.setup.memoryAfterBoot.rss} MB after boot)${r.heapSnapshot ? '; includes writing the heap snapshot' : ''}`,
      `< ${r.targets.peakRssMb} MB`,
      r.peakRssMb < r.targets.peakRssMb,
    ),
  ];
}
