import { describe, expect, it } from 'vitest';
import { isModerator } from '../../../src/triage/index.js';

const OUR_GUILD = '400000000000000001';
const OTHER_GUILD = '400000000000000002';
const MANAGE_SERVER = String(0x20);

describe('isModerator across Discord guilds', () => {
  const mods = { discordRoles: ['10'], slackUsers: [], escalationRoles: [] };

  it('counts Manage Server only in a trusted guild: anyone can hold it in a server of their own', () => {
    const owner = (guildId: string) => ({ platform: 'discord' as const, roles: [], permissions: MANAGE_SERVER, guildId });
    expect(isModerator(owner(OTHER_GUILD), mods, { trustedGuildIds: [OUR_GUILD] })).toBe(false);
    expect(isModerator(owner(OUR_GUILD), mods, { trustedGuildIds: [OUR_GUILD] })).toBe(true);
    // Fails closed: no known guild list, or no guild on the interaction, means the permission alone is not enough.
    expect(isModerator(owner(OUR_GUILD), mods)).toBe(false);
    expect(isModerator({ platform: 'discord', roles: [], permissions: MANAGE_SERVER }, mods, { trustedGuildIds: [OUR_GUILD] })).toBe(false);
  });

  it('takes the configured moderators.discordGuilds as trusted', () => {
    const withGuilds = { ...mods, discordGuilds: [OUR_GUILD] };
    expect(isModerator({ platform: 'discord', roles: [], permissions: MANAGE_SERVER, guildId: OUR_GUILD }, withGuilds)).toBe(true);
    expect(isModerator({ platform: 'discord', roles: [], permissions: MANAGE_SERVER, guildId: OTHER_GUILD }, withGuilds)).toBe(false);
  });

  it('still accepts a configured role (role ids belong to one guild) without a guild list', () => {
    expect(isModerator({ platform: 'discord', roles: ['10'], permissions: '0', guildId: OTHER_GUILD }, mods)).toBe(true);
  });
});
