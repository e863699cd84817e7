import type {
  APIApplicationCommandInteractionDataOption,
  APIChatInputApplicationCommandInteraction,
  APIMessageComponentInteraction,
} from 'discord-api-types/v10';
import type { Config } from '../../config/index.js';
import { parseDuration } from '../../config/index.js';
import { DISMISS_REASONS, type Actor, type TriageActionName } from '../core.js';
import { isModerator } from '../permissions.js';
import type { TriageService } from '../service.js';
import type { PageStore, ReplyBody } from './pages.js';
import { renderSourceAdd, renderSources, renderStats, renderStatus } from '../render/index.js';

/** The shared chat renderer's lines as one text; Discord pages it into embeds itself. */
const asText = (pages: string[]): string => pages.join('\n');

/** How a handler answers Discord; the client wires it to the interaction callback and webhook endpoints. */
export interface DiscordResponder {
  /** ACK a component click without a visible reply (type 6). */
  deferUpdate(): Promise<void>;
  /** ACK with "thinking…" (type 5), optionally only visible to the user. */
  deferReply(ephemeral: boolean): Promise<void>;
  /** Replaces the deferred reply (or, after deferUpdate, the message holding the component). */
  editReply(body: ReplyBody): Promise<void>;
  /** A new message; `mentionRoleIds` are the only mentions ever allowed. */
  followUp(body: ReplyBody & { ephemeral?: boolean; mentionRoleIds?: string[] }): Promise<void>;
  /** Answers at once with an ephemeral select menu (no defer needed: no I/O before it). */
  showSelect(body: { content: string; customId: string; options: { label: string; value: string }[] }): Promise<void>;
}

/** Shared by every handler. */
export interface DiscordHandlerContext {
  service: TriageService;
  moderators: Config['moderators'];
  pages: PageStore;
  log?: { warn(obj: object, msg: string): void };
  /** Guilds where Manage Server counts besides `moderators.discordGuilds` (the client: guilds owning a configured role). */
  trustedGuildIds?: () => Iterable<string>;
}

type Interaction = APIMessageComponentInteraction | APIChatInputApplicationCommandInteraction;

const ACTIONS: readonly TriageActionName[] = ['confirm', 'dismiss', 'escalate', 'claim'];
const DEFAULT_MUTE_MS = 24 * 3_600_000;
const REFUSAL = 'Only moderators can do this (a moderator role or Manage Server). The attempt was logged.';

/** The acting user from an interaction (guild member or DM user). */
export function actorOf(interaction: Interaction): Actor {
  const user = interaction.member?.user ?? interaction.user;
  return { id: user?.id ?? 'unknown', name: user?.global_name ?? user?.username ?? 'unknown', platform: 'discord' };
}

function allowed(interaction: Interaction, ctx: DiscordHandlerContext): boolean {
  const m = interaction.member;
  const member = m
    ? {
        platform: 'discord' as const,
        roles: m.roles,
        permissions: m.permissions,
        ...(interaction.guild_id ? { guildId: interaction.guild_id } : {}),
      }
    : undefined;
  return isModerator(member, ctx.moderators, { trustedGuildIds: ctx.trustedGuildIds?.() ?? [] });
}

async function refuse(
  interaction: Interaction,
  ctx: DiscordHandlerContext,
  r: DiscordResponder,
  attempted: string,
  alertId?: string,
): Promise<void> {
  await r.deferReply(true);
  await ctx.service
    .recordRefusal(actorOf(interaction), attempted, alertId)
    .catch((err: unknown) => ctx.log?.warn({ err }, 'audit of a refusal failed'));
  await r.editReply({ content: REFUSAL });
}

/** Parses `rw:<kind>:<rest>`; undefined for foreign custom ids. */
export function parseCustomId(customId: string): { kind: string; rest: string } | undefined {
  const m = /^rw:([a-z-]+):(.+)$/u.exec(customId);
  return m?.[1] && m[2] ? { kind: m[1], rest: m[2] } : undefined;
}

/**
 * Buttons and selects: `rw:<action>:<alertId>`, `rw:dismiss-reason:<alertId>` (select of reasons)
 * and `rw:page:<token>:<n>`. Moderator check first (page buttons too), then defer, then the service call.
 */
export async function handleComponent(
  interaction: APIMessageComponentInteraction,
  r: DiscordResponder,
  ctx: DiscordHandlerContext,
): Promise<void> {
  const parsed = parseCustomId(interaction.data.custom_id);
  if (!parsed) return;
  if (parsed.kind === 'page') {
    // Pages hold command output (source URLs, errors): same check as the command that made them.
    if (!allowed(interaction, ctx)) return refuse(interaction, ctx, r, 'page through a reply');
    const m = /^([0-9a-f]+):(\d+)$/u.exec(parsed.rest);
    await r.deferUpdate();
    const body = m?.[1] && m[2] ? ctx.pages.render(m[1], Number(m[2])) : undefined;
    await r.editReply(body ?? { content: 'These pages expired; run the command again.', embeds: [], components: [] });
    return;
  }
  const alertId = parsed.rest;
  const action = ACTIONS.find((a) => a === parsed.kind);
  if (!action && parsed.kind !== 'dismiss-reason') return;
  if (!allowed(interaction, ctx)) return refuse(interaction, ctx, r, parsed.kind, alertId);

  if (action === 'dismiss') {
    await r.showSelect({
      content: 'Why is this a false positive?',
      customId: `rw:dismiss-reason:${alertId}`,
      options: DISMISS_REASONS.map((reason) => ({ label: reason, value: reason })),
    });
    return;
  }
  await r.deferUpdate();
  const reason = parsed.kind === 'dismiss-reason' && 'values' in interaction.data ? interaction.data.values[0] : undefined;
  const result = await ctx.service.act(alertId, action ?? 'dismiss', actorOf(interaction), reason);
  if (!result.ok) {
    await r.followUp({ content: result.message, ephemeral: true });
    return;
  }
  const done =
    `${result.state.status[0]?.toUpperCase()}${result.state.status.slice(1)} by ${result.state.by ?? 'you'}` +
    `${result.promoted ? `; promoted to an alert, posting to ${result.posts.length} channel(s)` : ''}` +
    `${result.warnings.length > 0 ? `\n⚠️ ${result.warnings.join('\n⚠️ ')}` : ''}`;
  // The select lived on an ephemeral reply: replace it with the outcome. Buttons update via notify edits.
  if (parsed.kind === 'dismiss-reason') await r.editReply({ content: done, components: [] });
  else await r.followUp({ content: done, ephemeral: true });
  if (result.escalation) await r.followUp({ content: result.escalation.text, mentionRoleIds: result.escalation.roleIds });
}

type Option = APIApplicationCommandInteractionDataOption;

function flatten(options: readonly Option[] | undefined): { path: string[]; args: Record<string, string | number | boolean> } {
  const path: string[] = [];
  const args: Record<string, string | number | boolean> = {};
  let level = options ?? [];
  for (;;) {
    const sub = level.find((o) => o.type === 1 || o.type === 2);
    for (const o of level) if ('value' in o && o.value !== undefined) args[o.name] = o.value;
    if (!sub || !('options' in sub)) {
      if (sub) path.push(sub.name);
      break;
    }
    path.push(sub.name);
    level = (sub.options ?? []) as Option[];
  }
  return { path, args };
}

/** `/refwatch …`: defer (ephemeral), check, run, edit the reply (paginated when long). */
export async function handleCommand(
  interaction: APIChatInputApplicationCommandInteraction,
  r: DiscordResponder,
  ctx: DiscordHandlerContext,
): Promise<void> {
  if (interaction.data.name !== 'refwatch') return;
  const { path, args } = flatten(interaction.data.options as Option[] | undefined);
  const name = path.join(' ');
  if (!allowed(interaction, ctx)) return refuse(interaction, ctx, r, `/refwatch ${name}`);
  await r.deferReply(true);
  const actor = actorOf(interaction);
  const str = (k: string): string | undefined => (typeof args[k] === 'string' ? (args[k] as string) : undefined);
  try {
    switch (name) {
      case 'status':
        return await r.editReply(ctx.pages.open('Status', asText(renderStatus(await ctx.service.status(), 'discord'))));
      case 'sources list':
        return await r.editReply(ctx.pages.open('Sources', asText(renderSources(await ctx.service.sources.list(), 'discord'))));
      case 'sources add': {
        const type = str('type');
        const result = await ctx.service.sources.add(str('url') ?? '', {
          ...(type === 'rss' || type === 'html' ? { type } : {}),
          ...(str('id') ? { id: str('id') as string } : {}),
          ...(str('every') ? { every: str('every') as string } : {}),
        });
        await auditSource(ctx, actor, 'source-add', result.ok ? `${result.source.id} ${result.source.url}` : `refused: ${result.message}`);
        return await r.editReply(ctx.pages.open('Add source', asText(renderSourceAdd(result, 'discord'))));
      }
      case 'sources remove':
      case 'sources pause':
      case 'sources resume': {
        const verb = path[1] as 'remove' | 'pause' | 'resume';
        const id = str('id') ?? '';
        const result = await ctx.service.sources[verb](id);
        await auditSource(ctx, actor, `source-${verb}`, `${id}: ${result.message}`);
        return await r.editReply({ content: result.message });
      }
      case 'check':
        return await r.editReply(ctx.pages.open('Check', await ctx.service.check(str('url') ?? '')));
      case 'mute': {
        const forText = str('for');
        const ms = forText === undefined ? DEFAULT_MUTE_MS : parseDuration(forText);
        if (ms === undefined) return await r.editReply({ content: `"${forText}" is not a duration; use e.g. 12h or 7d.` });
        const result = await ctx.service.mute(str('term') ?? '', ms, actor);
        return await r.editReply({ content: result.ok ? `Muted “${result.term}” until ${result.until.toISOString()}.` : result.message });
      }
      case 'stats': {
        const days = typeof args.days === 'number' ? args.days : 30;
        return await r.editReply(ctx.pages.open(`Stats (${days} days)`, asText(renderStats(await ctx.service.stats(days), 'discord'))));
      }
      default:
        return await r.editReply({ content: `Unknown command "/refwatch ${name}".` });
    }
  } catch (error) {
    ctx.log?.warn({ err: error, command: name }, 'refwatch command failed');
    await r.editReply({ content: `/refwatch ${name} failed: ${error instanceof Error ? error.message : String(error)}` });
  }
}

async function auditSource(ctx: DiscordHandlerContext, actor: Actor, action: string, detail: string): Promise<void> {
  await ctx.service.audit({ actor: actor.name, actorId: actor.id, platform: actor.platform, action, alertId: '', reason: '', detail });
}
