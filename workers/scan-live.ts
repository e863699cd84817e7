/**
 * `refwatch scan` without --dry-run: every selected source polled once, now, through the real
 * pipeline (Redis state, stories, posting), then a line per source. Items already seen are not
 * posted again, and a source's first poll is still a baseline.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from 'bullmq';
import type { ScanLiveRequest } from '../src/cli/io.js';
import { write, writeJsonLine } from '../src/cli/io.js';
import { createLogger } from '../src/infra/index.js';
import type { PollOutcome } from '../src/pipeline/index.js';
import { jobIdFor, type Queues } from '../src/queue/index.js';
import { startBot } from './main.js';
import { startModeration } from './moderation.js';

/** How long to wait for the queues to drain after the polls before giving up. */
const DRAIN_TIMEOUT_MS = 120_000;

export async function runScanLive(request: ScanLiveRequest): Promise<number> {
  const { config, env, sources, io } = request;
  const bot = await startBot({
    env: { ...env, httpPort: undefined },
    rawEnv: io.env,
    config,
    roles: ['poll', 'analyze', 'notify'],
    log: createLogger({ level: env.logLevel === 'info' ? 'warn' : env.logLevel }),
    extensions: startModeration(env, config),
  });
  const { queues } = bot.runtime;
  let failed = 0;
  try {
    const stamp = Date.now();
    const jobs: Array<{ sourceId: string; job: Job }> = [];
    for (const source of sources) {
      const job = await queues.poll.add('poll', { sourceId: source.id }, { jobId: jobIdFor('scan', source.id, stamp) });
      jobs.push({ sourceId: source.id, job });
    }
    const outcomes = [];
    for (const { sourceId, job } of jobs) outcomes.push({ sourceId, outcome: await waitForResult(queues.poll, job) });
    await waitForDrain(bot.runtime.queues);
    // Stories first flagged by this scan, credited to the source whose item created them.
    const flagged = await bot.runtime.alerts.listSince(stamp);
    for (const { sourceId, outcome } of outcomes) {
      const line = { ...lineFor(sourceId, outcome), matched: flagged.filter((a) => a.sourceId === sourceId).length };
      if (!line.ok) failed += 1;
      if (request.json) {
        const { fresh: _fresh, baseline: _baseline, ...contract } = line;
        await writeJsonLine(io.stdout, contract);
      } else {
        await write(
          io.stdout,
          `${line.ok ? 'ok  ' : 'FAIL'} ${sourceId}: ${line.ok ? `${line.items} items, ${line.fresh} new, ${line.matched} flagged${line.baseline ? ' (first poll: baseline recorded, nothing posted)' : ''}` : line.error}\n`,
        );
      }
    }
  } finally {
    await bot.stop();
  }
  return failed > 0 ? 1 : 0;
}

async function waitForResult(queue: Queues['poll'], job: Job): Promise<PollOutcome | undefined> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') {
      const done = await queue.getJob(job.id ?? '');
      return done?.returnvalue as PollOutcome | undefined;
    }
    await sleep(200);
  }
  return undefined;
}

async function waitForDrain(queues: Queues): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const counts = await Promise.all(
      [queues.analyze, queues.notify].map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
    );
    if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
    await sleep(250);
  }
}

function lineFor(sourceId: string, outcome: PollOutcome | undefined) {
  if (!outcome)
    return { source: sourceId, ok: false, items: 0, matched: 0, fresh: 0, baseline: false, error: 'no result within the time limit' };
  switch (outcome.kind) {
    case 'ok':
      return {
        source: sourceId,
        ok: true,
        items: outcome.items,
        matched: 0,
        fresh: outcome.fresh,
        baseline: outcome.baseline,
        error: null,
      };
    case 'not-modified':
      return { source: sourceId, ok: true, items: 0, matched: 0, fresh: 0, baseline: false, error: null };
    case 'skipped':
      return { source: sourceId, ok: false, items: 0, matched: 0, fresh: 0, baseline: false, error: `skipped: ${outcome.reason}` };
    case 'failed':
      return { source: sourceId, ok: false, items: 0, matched: 0, fresh: 0, baseline: false, error: `${outcome.code}: ${outcome.message}` };
  }
}
