/** `refwatch targets`: list delivery targets that were disabled (403/404/401) and re-enable them. */
import type { Command } from 'commander';
import { parseDuration } from '../../config/index.js';
import { createProducerConnection, pingRedis, redactUrl, waitForRedis } from '../../infra/index.js';
import { routeAlert } from '../../pipeline/index.js';
import { createQueues, closeQueues, jobIdFor } from '../../queue/index.js';
import { createAlertStore, createTargetStateStore, type TargetStateStore } from '../../store/index.js';
import type { Config } from '../../config/index.js';
import type { Redis } from 'ioredis';
import { CliExit, EXIT, write, writeJsonLine, type CliIO } from '../io.js';
import { loadFor } from '../shared.js';

interface TargetsOptions {
  enable?: string;
  replay?: string;
  json?: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('targets')
    .description('list delivery targets disabled after 403/404 (channels) or 401 (platforms), or re-enable one')
    .option('--enable <target>', 're-enable a target, e.g. discord:123456789012345678 or platform:discord')
    .option('--replay <time>', 'with --enable: also post the alerts of this last period (e.g. 24h) that missed the target')
    .option('--json', 'one JSON object per disabled target')
    .addHelpText(
      'after',
      '\nExamples:\n  $ refwatch targets\n  $ refwatch targets --enable discord:123456789012345678   # after fixing the channel permissions\n' +
        '  $ refwatch targets --enable discord:123456789012345678 --replay 24h   # and post what it missed\n',
    )
    .action(async (options: TargetsOptions) => {
      const { env, config } = loadFor(io, undefined);
      const replayMs = options.replay === undefined ? undefined : parseDuration(options.replay);
      if (replayMs !== undefined && !options.enable) throw new CliExit(EXIT.usage, '--replay goes with --enable <target>.');
      const url = env.redisUrl ?? 'redis://127.0.0.1:6379';
      if (!(await pingRedis(url, 2000))) {
        throw new CliExit(EXIT.failed, `No Redis answers at ${redactUrl(url)}; set REDIS_URL to the bot's Redis.`);
      }
      const redis = createProducerConnection(url, { name: 'refwatch:cli' });
      // A producer connection refuses commands until it is ready.
      await waitForRedis(redis, 2000);
      try {
        const targets = createTargetStateStore(redis, { prefix: env.prefix });
        if (options.enable) {
          await enable(io, targets, options.enable);
          if (replayMs !== undefined) await replay(io, redis, env.prefix, config, options.enable, replayMs);
          return;
        }
        const disabled = await targets.list();
        if (options.json) {
          for (const entry of disabled) await writeJsonLine(io.stdout, entry);
          return;
        }
        if (disabled.length === 0) {
          await write(io.stdout, 'No disabled targets: every configured channel is receiving alerts.\n');
          return;
        }
        for (const entry of disabled) await write(io.stdout, `${entry.target}\t${entry.reason}\n`);
        await write(io.stdout, '\nFix the cause, then: refwatch targets --enable <target>\n');
      } finally {
        await redis.quit().catch(() => undefined);
      }
    });
}

async function enable(io: CliIO, targets: TargetStateStore, target: string): Promise<void> {
  const was = await targets.enable(target);
  if (!was) throw new CliExit(EXIT.failed, `${target} was not disabled (see \`refwatch targets\`).`);
  await write(io.stdout, `${target} re-enabled; new alerts will be delivered to it.\n`);
}

/**
 * Queues a post to `target` for every recent alert routed there that is not on it yet (it was
 * skipped while the target was disabled). The delivery stage's posted-markers keep this from
 * ever posting twice.
 */
async function replay(io: CliIO, redis: Redis, prefix: string, config: Config, target: string, periodMs: number): Promise<void> {
  const alerts = createAlertStore(redis, { prefix });
  const missed = [];
  for (const alert of await alerts.listSince(Date.now() - periodMs)) {
    const routed = routeAlert(config.routes, alert).some((r) => r.target === target);
    if (routed && !(target in (await alerts.getPosted(alert.id)))) missed.push(alert);
  }
  const queues = createQueues(redis, prefix);
  try {
    const stamp = Date.now();
    for (const alert of missed) {
      // A fresh job id: the original post job may still be remembered (completed as "skipped").
      await queues.notify.add(
        'notify',
        { alertId: alert.id, target, action: 'post' },
        { jobId: jobIdFor('replay', alert.id, target, stamp) },
      );
    }
  } finally {
    await closeQueues(queues);
  }
  await write(
    io.stdout,
    `${missed.length} alert${missed.length === 1 ? '' : 's'} from the last ${formatPeriod(periodMs)} queued for ${target}; the running bot posts them.\n`,
  );
}

function formatPeriod(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 60_000)} min`;
}
