import type { Config } from '../config/index.js';

/** Discord's MANAGE_GUILD ("Manage Server") permission bit. */
export const MANAGE_GUILD = 0x20n;

/** Who is asking: a Discord guild member (roles + permission bitfield string) or a Slack user id. */
export type MemberLike =
  | { platform: 'discord'; roles: readonly string[]; permissions?: string }
  | { platform: 'slack'; userId: string };

/**
 * True when the member may triage and run commands: a Discord member holding one of
 * `discordRoles` or Manage Server, or a Slack user listed in `slackUsers`. Checked on our side
 * for every interaction, since Discord's `default_member_permissions` can be overridden by admins.
 */
export function isModerator(member: MemberLike | undefined, moderators: Config['moderators']): boolean {
  if (!member) return false;
  if (member.platform === 'slack') return moderators.slackUsers.includes(member.userId);
  if (member.roles.some((r) => moderators.discordRoles.includes(r))) return true;
  if (member.permissions === undefined || !/^\d+$/.test(member.permissions)) return false;
  return (BigInt(member.permissions) & MANAGE_GUILD) === MANAGE_GUILD;
}
