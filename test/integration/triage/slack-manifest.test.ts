/** The Slack app manifest holds what the adapter relies on (a team creates the app from it in one paste). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Manifest {
  oauth_config: { scopes: { bot: string[] } };
  features: { slash_commands: { command: string; usage_hint: string }[]; bot_user: { display_name: string } };
  settings: { interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
}

describe('slack-app-manifest.yml', () => {
  const manifest = parse(readFileSync(new URL('../../../slack-app-manifest.yml', import.meta.url), 'utf8')) as Manifest;

  it('asks for exactly the scopes the bot uses', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['channels:history', 'chat:write', 'commands', 'groups:history']);
  });

  it('declares /refwatch with every subcommand, interactivity and Socket Mode', () => {
    const [command] = manifest.features.slash_commands;
    expect(command?.command).toBe('/refwatch');
    for (const sub of ['status', 'sources', 'check', 'mute', 'stats']) expect(command?.usage_hint).toContain(sub);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
