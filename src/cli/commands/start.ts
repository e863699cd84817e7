/** `refwatch start`: run the bot (all roles, or `--roles`) until SIGTERM/SIGINT. */
import type { Command } from 'commander';
import { RedisPolicyError, RedisUnavailableError } from '../../infra/index.js';
import { parseRoles, RolesError } from '../../../workers/roles.js';
import { startBot } from '../../../workers/main.js';
import { startModeration } from '../../../workers/moderation.js';
import { CliExit, EXIT, type CliIO } from '../io.js';
import { loadFor } from '../shared.js';

interface StartOptions {
  config?: string;
  roles?: string;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('start')
    .description('Run the bot: poll sources, classify, post alerts. Stops cleanly on SIGTERM/SIGINT.')
    .option('-c, --config <file>', 'YAML config (default: REFWATCH_CONFIG, else built-in defaults)')
    .option('--roles <roles>', 'comma-separated subset of poll,analyze,notify to run in this process', 'poll,analyze,notify')
    .addHelpText(
      'after',
      '\nExamples:\n  $ refwatch start\n  $ refwatch start --config config/refwatch.yaml\n' +
        '  $ refwatch start --roles poll      # one process polls …\n  $ refwatch start --roles analyze,notify   # … another analyses and posts\n',
    )
    .action(async (options: StartOptions) => {
      const { env, config } = loadFor(io, options.config);
      let roles;
      try {
        roles = parseRoles(options.roles);
      } catch (error) {
        if (error instanceof RolesError) throw new CliExit(EXIT.usage, error.message);
        throw error;
      }
      let bot;
      try {
        bot = await startBot({
          env,
          rawEnv: io.env,
          config,
          roles,
          extensions: roles.includes('notify') ? startModeration(env, config) : [],
        });
      } catch (error) {
        if (error instanceof RedisUnavailableError || error instanceof RedisPolicyError) {
          throw new CliExit(EXIT.usage, error.message);
        }
        throw error;
      }
      await new Promise<void>((resolve) => {
        const onSignal = (signal: NodeJS.Signals) => {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          bot.runtime.log.info(`${signal} received`);
          void bot.stop().then(resolve, resolve);
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
    });
}
