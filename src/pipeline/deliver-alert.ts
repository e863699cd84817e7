import { parseTarget, type Alert, type Target } from '../domain/index.js';
import type { Route } from '../config/types.js';
import { discordNonce, type FailureAction, type Notifier } from '../notify/index.js';
import type { AlertPort, NotifyJob, PipelineEvents, SourceLookup, TargetStatePort, WarnOps } from './ports.js';
import { routeAlert } from './routing.js';

export interface DeliverDeps {
  alerts: AlertPort;
  targets: TargetStatePort;
  notifiers: Partial<Record<Target['platform'], Notifier>>;
  routes: readonly Route[];
  /** For routes matching on source tags (mention roles); without it only alert rule tags count. */
  sources?: SourceLookup;
  classifyFailure(error: unknown): FailureAction;
  warnOps: WarnOps;
  events?: PipelineEvents;
  now?: () => Date;
}

export type DeliverOutcome =
  | { kind: 'posted'; messageId: string; recovered: boolean }
  | { kind: 'edited'; messageId: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'wait'; ms: number; reason: string };

/** Thrown for failures worth retrying (BullMQ backoff); `permanent` ones are not retried. */
export class DeliveryFailedError extends Error {
  override name = 'DeliveryFailedError';
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Posts (or edits) one alert on one target, at most once per (alert, target):
 * a posted-marker in Redis, a pending-marker to recover an ambiguous send after a crash,
 * and the Discord nonce for replays within minutes.
 */
export async function deliverAlert(deps: DeliverDeps, job: NotifyJob): Promise<DeliverOutcome> {
  const now = deps.now ?? (() => new Date());
  const target = parseTarget(job.target);
  if (!target) return { kind: 'skipped', reason: `"${job.target}" is not a valid target` };
  const platformKey = `platform:${target.platform}`;
  const disabled = (await deps.targets.isDisabled(job.target)) || (await deps.targets.isDisabled(platformKey));
  if (disabled) return { kind: 'skipped', reason: `target ${job.target} is disabled (see \`refwatch targets\`)` };

  const notifier = deps.notifiers[target.platform];
  if (!notifier) {
    const reason = `no ${target.platform} client is configured (set ${target.platform === 'discord' ? 'DISCORD_TOKEN' : 'SLACK_BOT_TOKEN'})`;
    await disable(deps, job.target, reason);
    return { kind: 'skipped', reason };
  }
  const alert = await deps.alerts.get(job.alertId);
  if (!alert) throw new DeliveryFailedError(`alert ${job.alertId} is not in Redis (expired or wiped)`, true);

  const channel = target.platform === 'console' ? 'console' : target.channel;
  const posted = (await deps.alerts.getPosted(alert.id))[job.target];
  try {
    if (posted) {
      // Already on this target: a post replay becomes a refresh with the latest content.
      await notifier.edit(channel, posted, alert);
      await refreshUntilCurrent(deps, notifier, channel, posted, alert);
      return { kind: 'edited', messageId: posted };
    }
    if (job.action === 'edit') return { kind: 'skipped', reason: 'not posted yet; the pending post carries the latest content' };
    return await post(deps, notifier, channel, alert, job.target, now());
  } catch (error) {
    return handleFailure(deps, job, error);
  }
}

async function post(
  deps: DeliverDeps,
  notifier: Notifier,
  channel: string,
  alert: Alert,
  target: string,
  at: Date,
): Promise<DeliverOutcome> {
  const pendingSince = (await deps.alerts.getPending(alert.id))[target];
  if (pendingSince !== undefined && notifier.findPosted) {
    // An earlier attempt started and never recorded its result: it may have landed.
    const found = await notifier.findPosted(channel, alert);
    if (found) {
      await deps.alerts.markPosted(alert.id, target, found.messageId);
      await deps.alerts.clearPending(alert.id, target);
      return { kind: 'posted', messageId: found.messageId, recovered: true };
    }
  }
  await deps.alerts.markPending(alert.id, target, at.getTime());
  const sourceTags = (await deps.sources?.get(alert.sourceId))?.tags ?? [];
  const mentionRoleIds = routeAlert(deps.routes, alert, sourceTags).find((r) => r.target === target)?.mentionRoles ?? [];
  const result = await notifier.post(channel, alert, {
    nonce: discordNonce(alert.id, target),
    ...(mentionRoleIds.length > 0 ? { mentionRoleIds } : {}),
  });
  await deps.alerts.markPosted(alert.id, target, result.messageId);
  await deps.alerts.clearPending(alert.id, target);
  deps.events?.posted?.(target, alert, at);
  // The story may have grown while this post was in flight; its edit job found no posted
  // marker and was skipped, so bring the fresh message up to date here.
  await refreshUntilCurrent(deps, notifier, channel, result.messageId, alert);
  return { kind: 'posted', messageId: result.messageId, recovered: false };
}

/** Re-edits after a change seen this many times in a row; each round means a newer version landed in Redis. */
const MAX_REFRESH_EDITS = 3;

/**
 * Edits again while the stored alert differs from what was just sent. Two edit jobs for one
 * message can run at once (notify concurrency, several processes); the one that read older
 * content may land last and would leave stale text (or triage buttons after a dismissal).
 * Re-reading after each edit makes the last edit to land send the latest version.
 */
async function refreshUntilCurrent(deps: DeliverDeps, notifier: Notifier, channel: string, messageId: string, sent: Alert): Promise<void> {
  let shown = JSON.stringify(sent);
  for (let round = 0; round < MAX_REFRESH_EDITS; round += 1) {
    const latest = await deps.alerts.get(sent.id);
    if (!latest || JSON.stringify(latest) === shown) return;
    await notifier.edit(channel, messageId, latest);
    shown = JSON.stringify(latest);
  }
}

async function handleFailure(deps: DeliverDeps, job: NotifyJob, error: unknown): Promise<DeliverOutcome> {
  const action = deps.classifyFailure(error);
  deps.events?.deliveryFailed?.(job.target, action.kind);
  switch (action.kind) {
    case 'wait':
      return { kind: 'wait', ms: action.ms, reason: action.reason };
    case 'retry':
      throw new DeliveryFailedError(`${job.target}: ${action.reason}`, false, { cause: error });
    case 'permanent':
      throw new DeliveryFailedError(`${job.target}: ${action.reason}`, true, { cause: error });
    case 'disable-target':
      await disable(deps, job.target, action.reason);
      return { kind: 'skipped', reason: `target disabled: ${action.reason}` };
    case 'halt-platform': {
      const platform = job.target.split(':')[0] ?? job.target;
      await disable(deps, `platform:${platform}`, action.reason);
      return { kind: 'skipped', reason: `${platform} halted: ${action.reason}` };
    }
  }
}

async function disable(deps: DeliverDeps, target: string, reason: string): Promise<void> {
  await deps.targets.disable(target, reason);
  await deps.warnOps(
    `Delivery to ${target} is disabled: ${reason}. Alerts for it stay in Redis and the alert log; ` +
      `fix the permission or channel, then re-enable it and post what it missed with \`refwatch targets --enable ${target} --replay 24h\`.`,
  );
}
