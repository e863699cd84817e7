/** Runs a parsed `/refwatch` command against the triage service and renders the Slack reply (pages). */
import type { Actor } from '../core.js';
import { renderChange, renderCheck, renderMute, renderSourceAdd, renderSources, renderStats, renderStatus } from '../render/index.js';
import type { TriageService } from '../service.js';
import { parseRefwatchCommand, REFWATCH_USAGE } from './command.js';

/** Who runs the command and whether they may. */
export interface CommandContext {
  service: TriageService;
  actor: Actor;
  isModerator: boolean;
}

/**
 * Parses and runs `/refwatch <text>`; returns the reply as mrkdwn pages. Everything but `help`
 * needs a moderator (status and stats reveal source URLs and error text); refusals are audited.
 */
export async function runRefwatchCommand(text: string, ctx: CommandContext): Promise<string[]> {
  const command = parseRefwatchCommand(text);
  if (command.kind === 'help') return [`*Refoulement Watch commands*\n${REFWATCH_USAGE}`];
  if (command.kind === 'error') return [command.message];
  const { service, actor } = ctx;
  if (!ctx.isModerator) {
    await service.recordRefusal(actor, `/refwatch ${text}`.slice(0, 200));
    return [
      `Only moderators can use /refwatch ${command.kind.split('-')[0] ?? ''}. An admin can add your Slack user id (${actor.id}) to \`moderators.slackUsers\` in the config.`,
    ];
  }
  const audit = (action: string, detail: string): Promise<void> =>
    service.audit({ actor: actor.name, actorId: actor.id, platform: 'slack', action, alertId: '', reason: '', detail });
  switch (command.kind) {
    case 'status':
      return renderStatus(await service.status(), 'slack');
    case 'stats':
      return renderStats(await service.stats(command.days), 'slack');
    case 'sources-list':
      return renderSources(await service.sources.list(), 'slack');
    case 'check':
      return renderCheck(await service.check(command.url), 'slack');
    case 'mute':
      return renderMute(await service.mute(command.term, command.forMs, actor), 'slack', command.forMs);
    case 'sources-add': {
      const result = await service.sources.add(command.url, command.options);
      if (result.ok) await audit('source-add', `${result.source.id} ${result.source.url}`);
      return renderSourceAdd(result, 'slack');
    }
    case 'sources-change': {
      const result = await service.sources[command.op](command.id);
      if (result.ok) await audit(`source-${command.op}`, command.id);
      return renderChange(result, 'slack');
    }
  }
}
