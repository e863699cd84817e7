import type { TriageState, TriageStatus } from '../domain/index.js';

/** What a moderator can do to an alert. */
export type TriageActionName = 'confirm' | 'dismiss' | 'escalate' | 'claim';

/** Why an alert was dismissed (the select menu offers exactly these). */
export const DISMISS_REASONS = ['off-topic', 'duplicate', 'old-news', 'wrong-country', 'not-forced-return', 'other'] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

/** Who acted: the platform's user id, a display name for messages, and where. */
export interface Actor {
  id: string;
  name: string;
  platform: 'discord' | 'slack' | 'cli';
}

/** Result of {@link applyTriage}: the next state, or a message to show the moderator. */
export type TriageResult = { ok: true; state: TriageState } | { ok: false; message: string };

const FINAL: ReadonlySet<TriageStatus> = new Set(['confirmed', 'dismissed']);

/** True for a dismiss reason from {@link DISMISS_REASONS}. */
export function isDismissReason(value: string): value is DismissReason {
  return (DISMISS_REASONS as readonly string[]).includes(value);
}

/** "10:02 UTC" today-ish, else the date too; moderators compare it with chat timestamps. */
export function shortTime(iso: string | undefined): string {
  if (!iso) return 'an unknown time';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

function describe(state: TriageState): string {
  const who = state.by ?? 'someone';
  switch (state.status) {
    case 'confirmed':
      return `already confirmed by ${who} at ${shortTime(state.at)}`;
    case 'dismissed':
      return `already dismissed by ${who} at ${shortTime(state.at)}${state.reason ? ` (${state.reason})` : ''}`;
    case 'claimed':
      return `already claimed by ${state.claimedBy ?? who} at ${shortTime(state.at)}`;
    case 'escalated':
      return `already escalated by ${who} at ${shortTime(state.at)}`;
    case 'open':
      return 'open';
  }
}

/**
 * The triage state machine (pure). Confirm and dismiss are final; claim and escalate may be
 * followed by confirm or dismiss (escalate may follow a claim). Dismiss needs a reason from
 * {@link DISMISS_REASONS}. `undefined` state means open.
 */
export function applyTriage(
  state: TriageState | undefined,
  action: TriageActionName,
  actor: Actor,
  now: Date,
  reason?: string,
): TriageResult {
  const current: TriageState = state ?? { status: 'open' };
  const at = now.toISOString();
  if (FINAL.has(current.status)) return { ok: false, message: `Already handled: ${describe(current)}.` };
  const carried: Pick<TriageState, 'claimedBy'> = current.claimedBy !== undefined ? { claimedBy: current.claimedBy } : {};
  switch (action) {
    case 'confirm':
      return { ok: true, state: { status: 'confirmed', by: actor.name, at, ...carried } };
    case 'dismiss': {
      if (reason === undefined || !isDismissReason(reason)) {
        return { ok: false, message: `Pick a dismiss reason: ${DISMISS_REASONS.join(', ')}.` };
      }
      return { ok: true, state: { status: 'dismissed', by: actor.name, at, reason, ...carried } };
    }
    case 'escalate':
      if (current.status === 'escalated') return { ok: false, message: `Already handled: ${describe(current)}.` };
      return { ok: true, state: { status: 'escalated', by: actor.name, at, ...carried } };
    case 'claim':
      if (current.status !== 'open') return { ok: false, message: `Already handled: ${describe(current)}.` };
      return { ok: true, state: { status: 'claimed', by: actor.name, at, claimedBy: actor.name } };
  }
}
