import type { Target } from './types.js';

/** Parses "discord:<channelId>", "slack:<channel>" or "console". Returns undefined for anything else. */
export function parseTarget(text: string): Target | undefined {
  if (text === 'console') return { platform: 'console' };
  const match = /^(discord|slack):(.+)$/.exec(text.trim());
  if (!match) return undefined;
  const [, platform, channel] = match;
  if (!channel) return undefined;
  if (platform === 'discord') {
    // Discord channel ids are snowflakes: 17-20 digits.
    return /^\d{17,20}$/.test(channel) ? { platform: 'discord', channel } : undefined;
  }
  return { platform: 'slack', channel };
}

/** The inverse of parseTarget: a stable key used in Redis and logs. */
export function formatTarget(target: Target): string {
  return target.platform === 'console' ? 'console' : `${target.platform}:${target.channel}`;
}
