/** `refwatch targets`: list delivery targets that were disabled (403/404/401) and re-enable them. */
import type { Command } from 'commander';
import { createProducerConnection, pingRedis, redactUrl } from '../../infra/index.js';
import { createTargetStateStore, type TargetStateStore } from '../../store/index.js';
import { CliExit, EXIT, write, writeJsonLine, type CliIO } from '../io.js';
import { loadFor } from '../shared.js';

interface TargetsOptions {
  enable?: string;
  json?: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('targets')
    .description('list delivery targets disabled after 403/404 (channels) or 401 (platforms), or re-enable one')
    .option('--enable <target>', 're-enable a target, e.g. discord:123456789012345678 or platform:discord')
    .option('--json', 'one JSON object per disabled target')
    .addHelpText(
      'after',
      '\nExamples:\n  $ refwatch targets\n  $ refwatch targets --enable discord:123456789012345678   # after fixing the channel permissions\n',
    )
    .action(async (options: TargetsOptions) => {
      const { env } = loadFor(io, undefined);
      const url = env.redisUrl ?? 'redis://127.0.0.1:6379';
      if (!(await pingRedis(url, 2000))) {
        throw new CliExit(EXIT.failed, `No Redis answers at ${redactUrl(url)}; set REDIS_URL to the bot's Redis.`);
      }
      const redis = createProducerConnection(url, { name: 'refwatch:cli' });
      try {
        const targets = createTargetStateStore(redis, { prefix: env.prefix });
        if (options.enable) {
          await enable(io, targets, options.enable);
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
