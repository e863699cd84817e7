/**
 * Block Kit pieces of the Slack triage adapter (pure): the dismiss-reason select and the
 * encoding of where the original alert message lives.
 */
import { escapeSlack } from '../../notify/index.js';
import { DISMISS_REASONS } from '../core.js';

/** `action_id` of the dismiss-reason select offered after a Dismiss click. */
export const DISMISS_REASON_ACTION = 'rw_dismiss_reason';

/** Human labels of the dismiss reasons (the option values are the reason codes). */
export const DISMISS_REASON_LABELS: Readonly<Record<(typeof DISMISS_REASONS)[number], string>> = {
  'off-topic': 'Off topic',
  duplicate: 'Duplicate',
  'old-news': 'Old news',
  'wrong-country': 'Wrong country',
  'not-forced-return': 'Not a forced return',
  other: 'Other',
};

/** The alert a dismiss select is about, and the message to update once a reason is picked. */
export interface DismissTarget {
  alertId: string;
  channel?: string;
  ts?: string;
}

const BLOCK_ID_MAX = 255;

/**
 * Encodes a {@link DismissTarget} into the select's `block_id` (≤ 255 characters). The message
 * location is dropped when it does not fit: the notify worker's edit job still updates the message.
 */
export function encodeDismissBlockId(target: DismissTarget): string {
  const full = ['rwd', target.alertId, target.channel ?? '', target.ts ?? ''].join('|');
  if (full.length <= BLOCK_ID_MAX && !target.alertId.includes('|')) return full;
  return `rwd|${target.alertId}`.slice(0, BLOCK_ID_MAX);
}

/** Decodes {@link encodeDismissBlockId}; undefined for any other block id. */
export function decodeDismissBlockId(blockId: string): DismissTarget | undefined {
  const [tag, alertId, channel, ts] = blockId.split('|');
  if (tag !== 'rwd' || !alertId) return undefined;
  return { alertId, ...(channel ? { channel } : {}), ...(ts ? { ts } : {}) };
}

/** The ephemeral message asking for a dismiss reason: a section and a static select. */
export function dismissReasonMessage(target: DismissTarget, title: string | undefined): { text: string; blocks: unknown[] } {
  const about = title ? `“${escapeSlack(title, 200)}”` : `alert ${escapeSlack(target.alertId, 100)}`;
  const text = `Why dismiss ${about}? Pick a reason; the rules learn from it.`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        block_id: encodeDismissBlockId(target),
        text: { type: 'mrkdwn', text },
        accessory: {
          type: 'static_select',
          action_id: DISMISS_REASON_ACTION,
          placeholder: { type: 'plain_text', text: 'Reason' },
          options: DISMISS_REASONS.map((reason) => ({
            text: { type: 'plain_text', text: DISMISS_REASON_LABELS[reason] },
            value: reason,
          })),
        },
      },
    ],
  };
}
