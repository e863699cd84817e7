import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { REST } from '@discordjs/rest';
import {
  InteractionType, Routes, type APIChatInputApplicationCommandInteraction, type APIInteraction, type APIMessageComponentInteraction,
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
  /** REST base without version (DISCORD_API_URL). */
  apiUrl: string;
  service: TriageService;
  moderators: Config['moderators'];
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
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
    async deferUpdate() { await callback({ type: 6 }); },
    async deferReply(ephemeral) { await callback({ type: 5, data: ephemeral ? { flags: EPHEMERAL } : {} }); },
    async editReply(body: ReplyBody) {
      await rest.patch(original, { body: { ...body, allowed_mentions: mentions() }, auth: false });
    },
    async followUp(body) {
      const { ephemeral, mentionRoleIds, ...rest_ } = body;
      await rest.post(Routes.webhook(applicationId, interaction.token), {
        body: { ...rest_, allowed_mentions: mentions(mentionRoleIds), ...(ephemeral ? { flags: EPHEMERAL } : {}) }, auth: false,
      });
    },
    async showSelect({ content, customId, options }) {
      await callback({
        type: 4,
        data: {
          content, flags: EPHEMERAL, allowed_mentions: mentions(),
          components: [{ type: 1, components: [{ type: 3, custom_id: customId, options, min_values: 1, max_values: 1 }] }],
        },
      });
    },
  };
}

/**
 * Connects to the gateway with the Guilds intent only (interactions need no privileged intent),
 * registers `/refwatch` at ready, and routes raw INTERACTION_CREATE payloads to the handlers.
 */
export async function startDiscordTriage(options: DiscordTriageOptions): Promise<{ stop(): Promise<void> }> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: options.apiUrl } });
  const pages = new PageStore();
  const ctx = { service: options.service, moderators: options.moderators, pages, log: options.log };
  let applicationId = '';

  client.once(Events.ClientReady, (ready) => {
    applicationId = ready.application.id;
    ready.rest.put(Routes.applicationCommands(applicationId), { body: DISCORD_COMMANDS })
      .then(() => options.log.info({ applicationId }, 'Discord commands registered'))
      .catch((err: unknown) => options.log.warn({ err }, 'Registering Discord commands failed; buttons still work'));
  });
  // Raw payloads, not discord.js Interaction objects: the handlers are tested against these shapes.
  client.ws.on('INTERACTION_CREATE' as never, (raw: APIInteraction) => {
    const appId = applicationId || raw.application_id;
    const responder = createRestResponder(client.rest, appId, raw);
    const run = raw.type === InteractionType.MessageComponent
      ? handleComponent(raw as APIMessageComponentInteraction, responder, ctx)
      : raw.type === InteractionType.ApplicationCommand
        ? handleCommand(raw as APIChatInputApplicationCommandInteraction, responder, ctx)
        : Promise.resolve();
    run.catch((err: unknown) => options.log.warn({ err, interaction: raw.id }, 'Discord interaction failed'));
  });
  client.on(Events.Error, (err) => options.log.warn({ err }, 'Discord client error'));
  await client.login(options.token);
  return { async stop() { await client.destroy(); } };
}
