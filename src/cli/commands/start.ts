/** `refwatch start`: run the bot (all roles, or `--roles`) until SIGTERM/SIGINT. */
import type { Command } from 'commander';
import { RedisPolicyError, RedisUnavailableError } from '../../infra/index.js';
import { parseRoles, ROLES, RolesError } from '../../../workers/roles.js';
import { startBot } from '../../../workers/main.js';
import { startModeration } from '../../../workers/moderation.js';
import { tuningFromEnv, TuningError } from '../../../workers/tuning.js';
import { CliExit, EXIT, type CliIO } from '../io.js';
import { loadFor } from '../shared.js';

interface StartOptions {
  config?: string;
  roles?: string;
}

/**
 * After a stop, how long the event loop may keep running before the process exits anyway: an
 * abandoned job can still hold a socket (a stalled Discord POST waits for its 15 s timeout), and
 * the promise is "exit within the hard timeout". The job is retried from Redis on the next start.
 */
const EXIT_GRACE_MS = 1_000;

export function register(program: Command, io: CliIO): void {
  program
    .command('start')
    .description('run the bot: poll sources, classify, post alerts; stops cleanly on SIGTERM/SIGINT')
    .option('-c, --config <file>', 'YAML config (default: REFWATCH_CONFIG, else built-in defaults)')
    .option('--roles <roles>', 'comma-separated subset of poll,analyze,notify to run in this process', 'poll,analyze,notify')
    .addHelpText(
      'after',
      '\nExamples:\n  $ refwatch start\n  $ refwatch start --config config/refwatch.yaml\n' +
        '  $ refwatch start --roles poll      # one process polls …\n  $ refwatch start --roles analyze,notify   # … another analyses and posts\n' +
        '\nTuning (milliseconds; see docs/operations.md): REFWATCH_STOP_TIMEOUT_MS (10000),\n' +
        'REFWATCH_LOCK_DURATION_MS, REFWATCH_STALLED_INTERVAL_MS (30000).\n',
    )
    .action(async (options: StartOptions) => {
      const { env, config } = loadFor(io, options.config);
      let roles;
      let tuning;
      try {
        roles = parseRoles(options.roles);
        tuning = tuningFromEnv(io.env);
      } catch (error) {
        if (error instanceof RolesError || error instanceof TuningError) throw new CliExit(EXIT.usage, error.message);
        throw error;
      }
      let bot;
      try {
        bot = await startBot({
          env,
          rawEnv: io.env,
          config,
          roles,
          tuning: tuning.tuning,
          // A process running only some roles needs the Redis the others use, never a private one.
          allowEmbeddedRedis: roles.length === ROLES.length,
          ...(tuning.stopTimeoutMs !== undefined ? { stopTimeoutMs: tuning.stopTimeoutMs } : {}),
          extensions: roles.includes('notify') ? startModeration(env, config) : [],
        });
      } catch (error) {
        if (error instanceof RedisUnavailableError || error instanceof RedisPolicyError) {
          throw new CliExit(EXIT.usage, `refwatch start: ${error.message}`);
        }
        throw error;
      }
      const running = bot;
      await new Promise<void>((resolve) => {
        const onSignal = (signal: NodeJS.Signals) => {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          running.runtime.log.info(`${signal} received`);
          void running.stop().then(resolve, resolve);
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
      // unref: when everything closed cleanly the process ends at once and this never fires.
      setTimeout(() => {
        running.runtime.log.warn(
          `Exiting with work still open ${EXIT_GRACE_MS} ms after the stop; it resumes from Redis on the next start`,
        );
        process.exit();
      }, EXIT_GRACE_MS).unref();
    });
}
