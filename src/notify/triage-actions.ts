import type { TriageStatus } from '../domain/index.js';

/** Moderator actions offered as buttons on a triage message. */
export type TriageAction = 'confirm' | 'dismiss' | 'escalate' | 'claim';

/** All actions, in display order. */
export const TRIAGE_ACTIONS: readonly TriageAction[] = ['confirm', 'dismiss', 'escalate', 'claim'];

// What can still happen from each state; a decided alert offers nothing that would undo it silently
// (reopening is a command, so it lands in the audit log with a reason).
const ALLOWED: Record<TriageStatus, readonly TriageAction[]> = {
  open: ['confirm', 'dismiss', 'escalate', 'claim'],
  claimed: ['confirm', 'dismiss', 'escalate'],
  escalated: ['confirm', 'dismiss'],
  confirmed: [],
  dismissed: [],
};

/** The buttons that apply to a triage state (no state = open). */
export function triageActionsFor(status: TriageStatus | undefined): readonly TriageAction[] {
  return ALLOWED[status ?? 'open'];
}

/** Discord `custom_id` of a triage button: `rw:<action>:<alertId>`, which the triage adapter parses. */
export function discordCustomId(action: TriageAction, alertId: string): string {
  return `rw:${action}:${alertId}`;
}

/** Slack `action_id` of a triage button; the alert id travels in the button's `value`. */
export function slackActionId(action: TriageAction): string {
  return `rw_${action}`;
}

const LABELS: Record<TriageStatus, string> = {
  open: 'Open',
  claimed: 'Claimed',
  escalated: 'Escalated',
  confirmed: 'Confirmed',
  dismissed: 'Dismissed (false positive)',
};

/** Human label of a triage status. */
export function triageLabel(status: TriageStatus): string {
  return LABELS[status];
}
