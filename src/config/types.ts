import type { Decision, Severity, Source } from '../domain/index.js';

/** Validated environment (see loadEnv). The only place process.env is read. */
export interface Env {
  redisUrl: string | undefined; // REDIS_URL (undefined → default or embedded)
  prefix: string; // REFWATCH_PREFIX, default "refwatch"
  configFile: string | undefined; // REFWATCH_CONFIG
  logLevel: string; // LOG_LEVEL, default "info"
  discordToken: string | undefined; // DISCORD_TOKEN
  discordApiUrl: string; // DISCORD_API_URL, default "https://discord.com/api"
  slackBotToken: string | undefined; // SLACK_BOT_TOKEN
  slackAppToken: string | undefined; // SLACK_APP_TOKEN (Socket Mode)
  slackApiUrl: string | undefined; // SLACK_API_URL (e.g. http://127.0.0.1:port/api/)
  slackSigningSecret?: string | undefined; // SLACK_SIGNING_SECRET (HTTP mode instead of Socket Mode)
  slackPort?: number | undefined; // SLACK_PORT, HTTP-mode listener for Slack requests, default 3000
  httpPort: number | undefined; // HTTP_PORT (health, metrics, Bull Board)
  adminUser: string; // ADMIN_USER, Bull Board basic auth, default "admin"
  adminPassword: string | undefined; // ADMIN_PASSWORD; Bull Board is off without it
  dataDir: string; // REFWATCH_DATA_DIR, default "./data" (embedded Redis, alert log)
}

export interface FetchConfig {
  allowPrivateNetworks: boolean; // default false
  allowAddresses?: string[]; // single private addresses / CIDR ranges allowed anyway
  timeoutMs: number; // default 15000
  maxBytes: number; // default 5 MiB
  maxRedirects: number; // default 5
  userAgent: string; // names the bot and a contact URL
  perHostConcurrency: number; // default 2
  articleMinChars: number; // fetch the article page when feed text is shorter, default 400
}

export interface RouteWhen {
  decision?: Decision | Decision[];
  minSeverity?: Severity;
  tags?: string[]; // any of
  sources?: string[]; // any of
  rules?: string[]; // any of ("pack/rule" or "pack")
}

export interface Route {
  when: RouteWhen;
  to: string[]; // "discord:<id>", "slack:<channel>", "console"
  mentionRoles?: string[]; // Discord role ids pinged on create (opt-in only)
  digest?: { at: string; timezone: string }; // optional daily digest "HH:MM" local time
}

export interface Config {
  fetch: FetchConfig;
  sources: Source[];
  rules: { packs: string[]; thresholds?: { alert?: number; review?: number } };
  routes: Route[];
  /** Route for operational warnings (paused sources, disabled targets); log only when empty. */
  ops: { to: string[] };
  /**
   * Who may triage. `discordGuilds`: guild ids where Manage Server also makes a moderator
   * (besides guilds owning a `discordRoles`/`escalationRoles` role); elsewhere it does not count.
   */
  moderators: { discordRoles: string[]; slackUsers: string[]; escalationRoles: string[]; discordGuilds?: string[] | undefined };
  pipeline: {
    failuresBeforePause: number; // default 10
    seenRetentionDays: number; // default 90
    storyWindowDays: number; // default 7
    pausedRetryMs: number; // default 24 h
  };
  /** Where the config was loaded from (for messages). */
  file?: string;
}
