import type { Config } from '../config/index.js';

/** Discord's MANAGE_GUILD ("Manage Server") permission bit. */
export const MANAGE_GUILD = 0x20n;

/**
 * Who is asking: a Discord guild member (roles, permission bitfield string and the guild the
 * interaction came from) or a Slack user id.
 */
export type MemberLike =
  { platform: 'discord'; roles: readonly string[]; permissions?: string; guildId?: string } | { platform: 'slack'; userId: string };

/** Extra facts for {@link isModerator}. */
export interface ModeratorCheckOptions {
  /** Guilds where Manage Server counts, besides `moderators.discordGuilds` (e.g. guilds owning a moderator role). */
  trustedGuildIds?: Iterable<string>;
}

/**
 * True when the member may triage and run commands: a Discord member holding one of
 * `discordRoles`, or Manage Server in a trusted guild, or a Slack user listed in `slackUsers`.
 * Checked on our side for every interaction, since Discord's `default_member_permissions` can be
 * overridden by admins. Manage Server only counts in a trusted guild (`moderators.discordGuilds`
 * or `trustedGuildIds`): anyone can invite a public bot to a server of their own and hold it there.
 * Role ids are unique to one guild, so a configured role needs no guild check.
 */
export function isModerator(
  member: MemberLike | undefined,
  moderators: Config['moderators'],
  options: ModeratorCheckOptions = {},
): boolean {
  if (!member) return false;
  if (member.platform === 'slack') return moderators.slackUsers.includes(member.userId);
  if (member.roles.some((r) => moderators.discordRoles.includes(r))) return true;
  if (member.permissions === undefined || !/^\d+$/.test(member.permissions)) return false;
  if ((BigInt(member.permissions) & MANAGE_GUILD) !== MANAGE_GUILD) return false;
  if (member.guildId === undefined) return false;
  const trusted = new Set([...(moderators.discordGuilds ?? []), ...(options.trustedGuildIds ?? [])]);
  return trusted.has(member.guildId);
}
