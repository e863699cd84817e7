import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { REST } from '@discordjs/rest';
import {
  InteractionType,
  Routes,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessageComponentInteraction,
} from 'discord-api-types/v10';
import type { Config } from '../../config/index.js';
import type { TriageService } from '../service.js';
import { DISCORD_COMMANDS } from './commands.js';
import { handleCommand, handleComponent, type DiscordResponder } from './handlers.js';
import { PageStore, type ReplyBody } from './pages.js';

const EPHEMERAL = 64;

/** Options for startDiscordTriage. */
export interface DiscordTriageOptions {
  token: string;
  /** REST base without version (DISCORD_API_URL); the gateway URL comes from its `/gateway/bot`. */
  apiUrl: string;
  service: TriageService;
  moderators: Config['moderators'];
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /**
   * Stop waiting for READY after this long: the client keeps connecting in the background
   * (discord.js retries on its own) so the rest of the bot is not held up. @defaultValue 30 000
   */
  connectTimeoutMs?: number;
  /** Upper bound for stop(). @defaultValue 5 000 */
  stopTimeoutMs?: number;
}

/** A running Discord moderation client. */
export interface DiscordTriageClient {
  /** The application id from READY ('' until then). */
  readonly applicationId: string;
  /** True once the gateway session is READY. */
  readonly ready: boolean;
  /** Closes the gateway connection (close code 1000) and the REST queue. */
  stop(): Promise<void>;
}

/** Why the client could not start; `message` says what to check. */
export class DiscordTriageError extends Error {
  override readonly name = 'DiscordTriageError';
  constructor(
    readonly code: 'bad-token' | 'connect-failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// Interaction and webhook tokens sit in REST paths; keep only the route shape.
const TOKEN_IN_PATH = /\/(webhooks\/\d+|interactions\/\d+)\/[^/?]+/gu;

/**
 * An error as safe log fields: discord.js errors carry the request URL (interaction token) and
 * body; only name, message, status, code and the masked path are kept.
 */
export function safeDiscordError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err).replace(TOKEN_IN_PATH, '/$1/***') };
  const e = err as Error & { status?: unknown; code?: unknown; method?: unknown; url?: unknown };
  const out: Record<string, unknown> = { name: e.name, message: e.message.replace(TOKEN_IN_PATH, '/$1/***') };
  if (typeof e.status === 'number') out.status = e.status;
  if (typeof e.code === 'number' || typeof e.code === 'string') out.code = e.code;
  if (typeof e.method === 'string') out.method = e.method;
  if (typeof e.url === 'string') out.path = e.url.replace(/^https?:\/\/[^/]+/u, '').replace(TOKEN_IN_PATH, '/$1/***');
  return out;
}

/** Only role pings ever go out, and only when listed. */
function mentions(roleIds: readonly string[] = []): { parse: []; roles?: string[] } {
  const roles = roleIds.filter((id) => /^\d{17,20}$/u.test(id));
  return roles.length > 0 ? { parse: [], roles } : { parse: [] };
}

/** A responder over the interaction callback + webhook endpoints (the token lives 15 minutes). */
export function createRestResponder(rest: REST, applicationId: string, interaction: APIInteraction): DiscordResponder {
  const callback = (body: unknown) => rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body, auth: false });
  const original = Routes.webhookMessage(applicationId, interaction.token, '@original');
  return {
    async deferUpdate() {
      await callback({ type: 6 });
    },
    async deferReply(ephemeral) {
      await callback({ type: 5, data: ephemeral ? { flags: EPHEMERAL } : {} });
    },
    async editReply(body: ReplyBody) {
      await rest.patch(original, { body: { ...body, allowed_mentions: mentions() }, auth: false });
    },
    async followUp(body) {
      const { ephemeral, mentionRoleIds, ...rest_ } = body;
      await rest.post(Routes.webhook(applicationId, interaction.token), {
        body: { ...rest_, allowed_mentions: mentions(mentionRoleIds), ...(ephemeral ? { flags: EPHEMERAL } : {}) },
        auth: false,
      });
    },
    async showSelect({ content, customId, options }) {
      await callback({
        type: 4,
        data: {
          content,
          flags: EPHEMERAL,
          allowed_mentions: mentions(),
          components: [{ type: 1, components: [{ type: 3, custom_id: customId, options, min_values: 1, max_values: 1 }] }],
        },
      });
    },
  };
}

/**
 * Connects to the gateway with the Guilds intent only (interactions need no privileged intent),
 * registers `/refwatch` at ready, and routes raw INTERACTION_CREATE payloads to the handlers.
 * Rejects with {@link DiscordTriageError} (client destroyed) when the token is refused or the
 * connection fails outright; resolves still connecting (with a warning) after `connectTimeoutMs`.
 */
export async function startDiscordTriage(options: DiscordTriageOptions): Promise<DiscordTriageClient> {
  const { log } = options;
  // discord.js asks `${apiUrl}/v10/gateway/bot` for the WebSocket URL, so a fake or proxy API brings its own gateway.
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: options.apiUrl } });
  const pages = new PageStore();
  // Manage Server counts in guilds that own a configured role (read from the gateway's guild cache),
  // so a server owner elsewhere who invited the bot is not a moderator here.
  const configuredRoles = [...options.moderators.discordRoles, ...options.moderators.escalationRoles];
  const trustedGuildIds = (): string[] =>
    client.guilds.cache.filter((guild) => configuredRoles.some((role) => guild.roles.cache.has(role))).map((guild) => guild.id);
  const ctx = { service: options.service, moderators: options.moderators, pages, log, trustedGuildIds };
  let applicationId = '';

  client.once(Events.ClientReady, (ready) => {
    applicationId = ready.application.id;
    log.info({ applicationId, user: ready.user.tag }, 'Discord moderation connected');
    ready.rest
      .put(Routes.applicationCommands(applicationId), { body: DISCORD_COMMANDS })
      .then(() => log.info({ applicationId }, 'Discord commands registered'))
      .catch((err: unknown) => log.warn({ err: safeDiscordError(err) }, 'Registering Discord commands failed; buttons still work'));
  });
  // Raw payloads, not discord.js Interaction objects: the handlers are tested against these shapes.
  client.ws.on('INTERACTION_CREATE' as never, (raw: APIInteraction) => {
    const appId = applicationId || raw.application_id;
    const responder = createRestResponder(client.rest, appId, raw);
    const run =
      raw.type === InteractionType.MessageComponent
        ? handleComponent(raw as APIMessageComponentInteraction, responder, ctx)
        : raw.type === InteractionType.ApplicationCommand
          ? handleCommand(raw as APIChatInputApplicationCommandInteraction, responder, ctx)
          : Promise.resolve();
    run.catch((err: unknown) => log.warn({ err: safeDiscordError(err), interaction: raw.id }, 'Discord interaction failed'));
  });
  client.on(Events.Error, (err) => log.warn({ err: safeDiscordError(err) }, 'Discord client error'));
  client.on(Events.ShardError, (err) => log.warn({ err: safeDiscordError(err) }, 'Discord gateway error; reconnecting'));
  client.on(Events.ShardDisconnect, (event) => log.warn({ code: event.code }, 'Discord gateway closed'));

  const timeoutMs = options.connectTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), timeoutMs);
  });
  const login = client.login(options.token).then(() => 'ready' as const);
  try {
    if ((await Promise.race([login, slow])) === 'slow') {
      // Destroying a shard mid-handshake hangs and re-connects in @discordjs/ws (it aborts its own
      // HELLO/READY wait, which schedules a reconnect), so a slow gateway is left to the library's retries.
      log.warn({ timeoutMs }, `Discord gateway not ready after ${timeoutMs} ms; moderation starts when it connects`);
      login.catch((err: unknown) =>
        log.warn({ err: safeDiscordError(err) }, 'Discord moderation could not connect; buttons and commands are unavailable'),
      );
    }
  } catch (error) {
    await client.destroy().catch(() => undefined);
    const code = (error as { code?: unknown }).code;
    if (code === 'TokenInvalid' || /Authentication failed/iu.test(String((error as Error).message))) {
      throw new DiscordTriageError(
        'bad-token',
        'Discord refused DISCORD_TOKEN; reset the bot token in the Developer Portal and update the environment',
        { cause: error },
      );
    }
    throw new DiscordTriageError(
      'connect-failed',
      `Discord moderation could not connect to ${new URL(options.apiUrl).host}: ${String(safeDiscordError(error).message)}`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
  const stopTimeoutMs = options.stopTimeoutMs ?? 5000;
  return {
    get applicationId() {
      return applicationId;
    },
    get ready() {
      return client.isReady();
    },
    async stop() {
      let bound: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        bound = setTimeout(() => resolve('late'), stopTimeoutMs);
      });
      const done = await Promise.race([client.destroy().then(() => 'done' as const), late]).finally(() => clearTimeout(bound));
      if (done === 'late') log.warn({ stopTimeoutMs }, 'Discord client did not close within the stop timeout (still connecting?)');
    },
  };
}
