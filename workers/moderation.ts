import type { Config, Env } from '../src/config/index.js';
import type { Source } from '../src/domain/index.js';
import { getQueueStats } from '../src/infra/index.js';
import { scheduleSource, schedulerIdFor } from '../src/queue/index.js';
import { createTriageService, notifyPortFromQueue, type TriageService } from '../src/triage/index.js';
import type { Runtime } from './runtime.js';

type Extension = (runtime: Runtime) => Promise<{ stop(): Promise<void> }>;

/** The triage service over the runtime's stores and queues, shared by the chat adapters. */
export function createRuntimeTriageService(runtime: Runtime): TriageService {
  const { queues, config, env } = runtime;
  return createTriageService({
    redis: runtime.redis,
    prefix: env.prefix,
    alerts: runtime.alerts,
    routes: config.routes,
    moderators: config.moderators,
    enqueueNotify: notifyPortFromQueue(queues.notify),
    classifier: runtime.classifier,
    fetchState: runtime.fetchState,
    chatSources: runtime.chatSources,
    configSources: config.sources,
    fetchOptions: runtime.fetchOptions,
    scheduleSource: async (source: Source) => {
      await scheduleSource(queues.poll, source);
    },
    unscheduleSource: async (sourceId: string) => {
      await queues.poll.removeJobScheduler(schedulerIdFor(sourceId));
    },
    queueDepth: async () => {
      const depth: Record<string, number> = {};
      for (const queue of [queues.poll, queues.analyze, queues.notify]) {
        const { counts } = await getQueueStats(queue);
        depth[queue.name] = (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0);
      }
      return depth;
    },
    log: runtime.log,
  });
}

/**
 * The chat moderation clients to run beside the notify role, for the platforms that are
 * configured: Discord (gateway, with DISCORD_TOKEN) and Slack (Socket Mode with
 * SLACK_APP_TOKEN, or HTTP mode with SLACK_SIGNING_SECRET). Empty when none is.
 */
export function startModeration(env: Env, _config: Config): Extension[] {
  const extensions: Extension[] = [];
  if (env.discordToken) {
    const token = env.discordToken;
    extensions.push(async (runtime) => {
      // Loaded only when configured: discord.js is a large part of the process' memory.
      const { startDiscordTriage } = await import('../src/triage/discord/index.js');
      return startDiscordTriage({
        token,
        apiUrl: env.discordApiUrl,
        service: createRuntimeTriageService(runtime),
        moderators: runtime.config.moderators,
        log: runtime.log,
      });
    });
  }
  if (env.slackBotToken && (env.slackAppToken || env.slackSigningSecret)) {
    const botToken = env.slackBotToken;
    extensions.push(async (runtime) => {
      const { startSlackTriage } = await import('../src/triage/slack/index.js');
      return startSlackTriage({
        botToken,
        ...(env.slackAppToken ? { appToken: env.slackAppToken } : {}),
        ...(env.slackSigningSecret ? { signingSecret: env.slackSigningSecret, port: env.slackPort ?? 3000 } : {}),
        ...(env.slackApiUrl ? { apiUrl: env.slackApiUrl } : {}),
        service: createRuntimeTriageService(runtime),
        moderators: runtime.config.moderators,
        log: runtime.log,
      });
    });
  }
  return extensions;
}
