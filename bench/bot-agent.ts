/**
 * The bot under test, alone in its process: `startBot` with the poll, analyze and notify roles,
 * loaded from the compiled output. bot-process.ts transpiles this file to
 * `dist/bench/bot-agent.js`, where `../workers/main.js` is the built bot, and runs it with plain
 * `node` (no tsx). It only counts its workers' events and answers the benchmark's probes;
 * the load (jobs, feeds, the fake Discord) comes from other processes.
 */
import { writeHeapSnapshot } from 'node:v8';
import type { Job } from 'bullmq';
import { loadConfig, loadEnv, processEnv, type Config } from '../src/config/index.js';
import type { Source } from '../src/domain/index.js';
import { createLogger } from '../src/infra/index.js';
import type { PollOutcome } from '../src/pipeline/index.js';
import { startBot, type RunningBot } from '../workers/main.js';
import { serveRequests } from './child.js';

/** What the benchmark tells the bot at start. */
export interface AgentStart {
  prefix: string;
  dataDir: string;
  feedUrl: string;
  feeds: number;
  /** Sources `bench-0` … `bench-<latencyFeeds - 1>` poll every `pollEveryMs`; the rest once a day. */
  latencyFeeds: number;
  pollEveryMs: number;
  perHostConcurrency: number;
  channel: string;
  discordToken: string;
  discordApiUrl: string;
  logLevel: string;
}

/** Outcome counts from the bot's workers since start. */
export interface AgentCounters {
  /** By cycle phase (the `<phase>` of job ids `bench-<phase>-<n>`). */
  polls: Record<string, { done: number; outcomes: Record<string, number>; items: number }>;
  analyzeDone: number;
  analyzed: Record<string, number>;
  notifyDone: number;
  notifyFailures: Record<string, number>;
}

/** One look at the bot's process. */
export interface AgentProbe {
  counters: AgentCounters;
  cpu: NodeJS.CpuUsage;
  memory: NodeJS.MemoryUsage;
}

/** The agent's operations, called by bot-process.ts. */
export type AgentOps = {
  start(
    args: AgentStart,
  ): Promise<{ bootSeconds: number; redisUrl: string; embeddedRedis: boolean; defaultPerHost: number; startedWith: string }>;
  probe(): AgentProbe;
  /** Writes a V8 heap snapshot (for finding where memory goes); returns its path. */
  heapSnapshot(args: { dir: string }): string;
  stop(): Promise<void>;
};

const DAY_MS = 86_400_000;

function tally(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

function benchConfig(base: Config, args: AgentStart): Config {
  const sources: Source[] = [];
  for (let i = 0; i < args.feeds; i++) {
    sources.push({
      id: `bench-${i}`,
      type: 'rss',
      name: `Bench feed ${i}`,
      url: `${args.feedUrl}/feed/${i}.xml`,
      lang: 'en',
      // Only the latency feeds run on a schedule; a day keeps the rest out of the cycle timings.
      everyMs: i < args.latencyFeeds ? args.pollEveryMs : DAY_MS,
    });
  }
  return {
    ...base,
    fetch: { ...base.fetch, allowPrivateNetworks: true, perHostConcurrency: args.perHostConcurrency },
    sources,
    routes: [{ when: { decision: ['alert', 'review'] }, to: [`discord:${args.channel}`] }],
    ops: { to: [] },
  };
}

function run(): void {
  let bot: RunningBot | undefined;
  const counters: AgentCounters = { polls: {}, analyzeDone: 0, analyzed: {}, notifyDone: 0, notifyFailures: {} };
  const pollPhase = (job: Job | undefined) => /^bench-([a-z0-9]+)-\d+$/.exec(job?.id ?? '')?.[1];
  const recordPoll = (phase: string, kind: string, outcome?: PollOutcome) => {
    const entry = counters.polls[phase] ?? { done: 0, outcomes: {}, items: 0 };
    counters.polls[phase] = entry;
    entry.done++;
    tally(entry.outcomes, kind);
    if (outcome?.kind === 'ok') entry.items += outcome.items;
  };

  const ops: AgentOps = {
    async start(args) {
      const rawEnv = processEnv();
      const env = loadEnv(rawEnv);
      const defaults = loadConfig({ env: rawEnv });
      const started = performance.now();
      bot = await startBot({
        env: {
          ...env,
          prefix: args.prefix,
          dataDir: args.dataDir,
          logLevel: 'error',
          httpPort: undefined,
          slackBotToken: undefined,
          slackAppToken: undefined,
          discordToken: args.discordToken,
          discordApiUrl: args.discordApiUrl,
        },
        rawEnv,
        roles: ['poll', 'analyze', 'notify'],
        log: createLogger({ level: args.logLevel }),
        config: benchConfig(defaults, args),
      });
      const bootSeconds = Math.round((performance.now() - started) / 10) / 100;
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
            counters.analyzeDone++;
            tally(counters.analyzed, String(result));
          });
          worker.on('failed', (job) => {
            // Only the last attempt counts as done; earlier ones are retried.
            if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
              counters.analyzeDone++;
              tally(counters.analyzed, 'job-failed');
            }
          });
        } else {
          worker.on('completed', () => counters.notifyDone++);
          worker.on('failed', (_job, err) => tally(counters.notifyFailures, err.message.slice(0, 120)));
        }
      }
      return {
        bootSeconds,
        redisUrl: bot.redisUrl,
        embeddedRedis: bot.embeddedRedis !== undefined,
        defaultPerHost: defaults.fetch.perHostConcurrency,
        startedWith: [process.execPath, ...process.execArgv, process.argv[1] ?? ''].join(' '),
      };
    },
    probe: () => ({ counters, cpu: process.cpuUsage(), memory: process.memoryUsage() }),
    heapSnapshot: ({ dir }) => writeHeapSnapshot(`${dir}/bot-${Date.now()}.heapsnapshot`),
    async stop() {
      const running = bot;
      bot = undefined;
      await running?.stop();
    },
  };
  serveRequests(ops, { pid: process.pid }, () => ops.stop());
}

if (process.send) run();
