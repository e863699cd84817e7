import type { Alert, TriageStatus } from '../../domain/index.js';
import { alsoReportedText, formatScore, matchedTerms, peopleText, placesText, ruleLines, severityBadge, triageText } from '../summary.js';
import { cleanText, fitText, formatDate, safeHttpUrl } from '../text.js';
import { slackActionId, triageActionsFor, triageLabel, type TriageAction } from '../triage-actions.js';

/** Block Kit limits (docs.slack.dev block reference); `totalChars` keeps clear of the undocumented ~13k `msg_blocks_too_long`. */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextText: 3000,
  buttonText: 75,
  buttonValue: 2000,
  fallbackText: 3000,
  totalChars: 10_000,
} as const;

/** A plain or mrkdwn text object. */
export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

/** A Block Kit button. */
export interface SlackButton {
  type: 'button';
  action_id: string;
  text: SlackText;
  value: string;
  style?: 'primary' | 'danger';
}

/** The blocks this formatter produces. */
export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text: SlackText }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' }
  | { type: 'actions'; block_id: string; elements: SlackButton[] };

/** What chat.postMessage / chat.update receive (plus channel and options added by the client). */
export interface SlackMessageBody {
  /** Plain fallback for notifications and screen readers; mrkdwn-escaped. */
  text: string;
  blocks: SlackBlock[];
}

/**
 * Escapes Slack's three control characters (formatting reference): after this no feed text can form
 * `<!channel>`, `<@U…>` or `<url|label>`.
 */
export function escapeSlackGrapheme(grapheme: string): string {
  return grapheme.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cleans, escapes and cuts feed text to `max` UTF-16 units. */
export function escapeSlack(text: string, max: number, multiline = false): string {
  return fitText(cleanText(text, { multiline }), max, escapeSlackGrapheme);
}

// Inside <url|label> the URL may not contain the delimiters; percent-encode them.
function slackLinkUrl(url: string): string {
  return url.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/&/g, '&amp;');
}

const BUTTON_LABEL: Record<TriageAction, string> = {
  confirm: 'Confirm',
  dismiss: 'Dismiss (false positive)',
  escalate: 'Escalate',
  claim: 'Claim',
};
const BUTTON_STYLE: Partial<Record<TriageAction, 'primary' | 'danger'>> = { confirm: 'primary', escalate: 'danger' };

/** The actions block for a triage state, or undefined when nothing applies. */
export function slackActionsBlock(alertId: string, status: TriageStatus | undefined): SlackBlock | undefined {
  if (alertId.length > SLACK_LIMITS.buttonValue) return undefined;
  const elements: SlackButton[] = triageActionsFor(status).map((action) => {
    const style = BUTTON_STYLE[action];
    return {
      type: 'button',
      action_id: slackActionId(action),
      text: { type: 'plain_text', text: BUTTON_LABEL[action], emoji: false },
      value: alertId,
      ...(style ? { style } : {}),
    };
  });
  return elements.length > 0 ? { type: 'actions', block_id: 'rw_triage', elements } : undefined;
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: fitText(text, SLACK_LIMITS.sectionText) } };
}

function headline(alert: Alert): string {
  const title = escapeSlack(alert.title, 600) || '(untitled)';
  const url = safeHttpUrl(alert.url);
  const link = url ? slackLinkUrl(url) : undefined;
  // A link too long for the section is dropped rather than cut (a cut would leave an open `<`).
  const linked = link && link.length <= 1800 ? `*<${link}|${title}>*` : `*${title}*`;
  const facts = [
    escapeSlack(alert.sourceName, 200),
    formatDate(alert.published) ?? 'date not given',
    `${severityBadge(alert.severity)} · ${alert.decision} · score ${formatScore(alert.score)}`,
  ].filter(Boolean);
  return `${linked}\n${facts.join(' · ')}`;
}

function whyText(alert: Alert): string | undefined {
  const terms = matchedTerms(alert).map((t) => {
    const snippet = escapeSlack(t.snippet, 350);
    return `• *${escapeSlack(t.term, 100)}* (${t.field})${snippet ? ` — “${snippet}”` : ''}`;
  });
  return terms.length > 0 ? `*Matched*\n${terms.join('\n')}` : undefined;
}

function detailsText(alert: Alert): string | undefined {
  const lines: string[] = [];
  const people = peopleText(alert);
  const places = placesText(alert);
  const also = alsoReportedText(alert);
  if (people) lines.push(`*People:* ${escapeSlack(people, 400)}`);
  if (places) lines.push(`*Places:* ${escapeSlack(places, 400)}`);
  const rules = ruleLines(alert);
  if (rules.length > 0) lines.push(`*Rules:*\n${escapeSlack(rules.join('\n'), 1000, true)}`);
  if (also) lines.push(`*Also reported by:* ${escapeSlack(also, 500)}`);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/**
 * Formats an alert as Block Kit (header, headline, why, details, context, optional triage buttons)
 * with a plain fallback `text`. Pure; every piece of feed text is mrkdwn-escaped and cut to the limits.
 */
export function formatSlackMessage(alert: Alert, options: { withActions: boolean }): SlackMessageBody {
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: fitText(`${severityBadge(alert.severity)} ${cleanText(alert.title)}`, SLACK_LIMITS.headerText),
        emoji: true,
      },
    },
    section(headline(alert)),
  ];
  const why = whyText(alert);
  if (why) blocks.push(section(why));
  const details = detailsText(alert);
  if (details) blocks.push(section(details));
  const triage = triageText(alert, triageLabel);
  const context = [triage ? `*Triage:* ${escapeSlack(triage, 500)}` : undefined, `Refoulement Watch · alert ${escapeSlack(alert.id, 100)}`]
    .filter((t): t is string => t !== undefined)
    .map((t): SlackText => ({ type: 'mrkdwn', text: t }));
  blocks.push({ type: 'context', elements: context });
  if (options.withActions) {
    const actions = slackActionsBlock(alert.id, alert.triage?.status);
    if (actions) blocks.push(actions);
  }
  const text = fitText(
    `${severityBadge(alert.severity)} ${escapeSlack(alert.title, 1000) || '(untitled)'} — ${escapeSlack(alert.sourceName, 200)}`,
    SLACK_LIMITS.fallbackText,
  );
  return { text, blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}
