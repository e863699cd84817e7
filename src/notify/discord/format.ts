import type {
  APIActionRowComponent,
  APIButtonComponent,
  APIEmbed,
  APIEmbedField,
  APIComponentInMessageActionRow,
} from 'discord-api-types/v10';
import type { Alert, TriageStatus } from '../../domain/index.js';
import {
  SEVERITY_COLOURS,
  alsoReportedText,
  formatScore,
  matchedTerms,
  peopleText,
  placesText,
  ruleLines,
  severityBadge,
  triageText,
} from '../summary.js';
import { cleanText, fitText, formatDate, safeHttpUrl, unitLength } from '../text.js';
import { discordCustomId, triageActionsFor, triageLabel, type TriageAction } from '../triage-actions.js';

/** Discord message limits (discord-api-docs, resources/message: embed limits; components: custom_id). */
export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  embedTotal: 6000,
  customId: 100,
} as const;

/** The JSON body we send to create or edit a message (minus nonce / allowed_mentions, added by the client). */
export interface DiscordMessageBody {
  content?: string;
  embeds: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** Options for formatDiscordMessage. */
export interface DiscordFormatOptions {
  /** Add the triage buttons that apply to the alert's state. */
  withActions: boolean;
  /** Role ids to ping in `content` (the client must also list them in allowed_mentions.roles). */
  mentionRoleIds?: readonly string[];
}

const MARKDOWN = new Set(['\\', '*', '_', '~', '|', '>', '`', '[', ']', '(', ')', '#']);
const ZWSP = '\u200b';

/**
 * Escapes one grapheme of feed text for Discord Markdown. A zero-width space after `@` and `<`
 * breaks `@everyone`, `@here`, `<@id>`, `<@&id>`, `<#id>` and custom emoji, so nothing renders as a
 * mention even where allowed_mentions would not apply (e.g. a quoted copy).
 */
export function escapeDiscordGrapheme(grapheme: string): string {
  const first = grapheme[0] ?? '';
  if (first === '@' || first === '<') return neutraliseMentions(grapheme);
  return MARKDOWN.has(first) ? `\\${grapheme}` : grapheme;
}

/** Breaks `@…` and `<…` mention syntax in one grapheme without Markdown escaping. */
export function neutraliseMentions(grapheme: string): string {
  const first = grapheme[0] ?? '';
  return first === '@' || first === '<' ? `${first}${ZWSP}${grapheme.slice(1)}` : grapheme;
}

/** Cleans, escapes and cuts feed text to `max` UTF-16 units. */
export function escapeDiscord(text: string, max: number, multiline = false): string {
  return fitText(cleanText(text, { multiline }), max, escapeDiscordGrapheme);
}

const BUTTON_STYLE: Record<TriageAction, 1 | 2 | 3 | 4> = { confirm: 3, dismiss: 2, escalate: 4, claim: 1 };
const BUTTON_LABEL: Record<TriageAction, string> = {
  confirm: 'Confirm',
  dismiss: 'Dismiss (false positive)',
  escalate: 'Escalate',
  claim: 'Claim',
};

/** The action row for a triage state, or undefined when no action applies. */
export function discordActionRow(
  alertId: string,
  status: TriageStatus | undefined,
): APIActionRowComponent<APIComponentInMessageActionRow> | undefined {
  const buttons: APIButtonComponent[] = triageActionsFor(status)
    .map((action) => ({ action, customId: discordCustomId(action, alertId) }))
    // An over-long id would make Discord reject the whole message; no button beats no alert.
    .filter(({ customId }) => customId.length <= DISCORD_LIMITS.customId)
    .map(({ action, customId }) => ({ type: 2, style: BUTTON_STYLE[action], label: BUTTON_LABEL[action], custom_id: customId }));
  return buttons.length > 0 ? { type: 1, components: buttons } : undefined;
}

function field(name: string, value: string | undefined, inline: boolean): APIEmbedField | undefined {
  if (!value) return undefined;
  const escaped = escapeDiscord(value, DISCORD_LIMITS.fieldValue, true);
  return escaped ? { name, value: escaped, inline } : undefined;
}

function description(alert: Alert): string {
  const header = `**${severityBadge(alert.severity)}** · ${alert.decision} · score ${formatScore(alert.score)}`;
  const terms = matchedTerms(alert).map((t) => {
    const term = escapeDiscord(t.term, 100);
    const snippet = escapeDiscord(t.snippet, 400);
    return `• **${term}** (${t.field})${snippet ? ` — “${snippet}”` : ''}`;
  });
  const body = terms.length > 0 ? `${header}\n\n**Matched**\n${terms.join('\n')}` : header;
  return fitText(body, DISCORD_LIMITS.description);
}

function embedTotal(embed: APIEmbed): number {
  const fields = embed.fields ?? [];
  return (
    unitLength(embed.title, embed.description, embed.footer?.text, embed.author?.name) +
    fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/**
 * Shrinks the longest of description and field values until the embed fits the 6000-unit total.
 * Each pass removes at least the excess from one text, so it ends within a few passes.
 */
function fitEmbedTotal(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed, fields: [...(embed.fields ?? [])] };
  for (let pass = 0; pass < 50; pass += 1) {
    const excess = embedTotal(out) - DISCORD_LIMITS.embedTotal;
    if (excess <= 0) break;
    const fields = out.fields ?? [];
    let longest = -1; // -1 = description
    let longestLength = out.description?.length ?? 0;
    fields.forEach((f, i) => {
      if (f.value.length > longestLength) {
        longest = i;
        longestLength = f.value.length;
      }
    });
    const target = Math.max(1, longestLength - excess);
    if (longest === -1) {
      out.description = fitText(out.description ?? '', target);
    } else {
      const current = fields[longest];
      if (current) fields[longest] = { ...current, value: fitText(current.value, target) || '…' };
    }
    if (longestLength <= 1) break;
  }
  return out;
}

/**
 * Formats an alert as one Discord embed (plus triage buttons with `withActions`).
 * Pure. Feed text is cleaned, escaped for Markdown, mention-proofed and cut to Discord's limits.
 */
export function formatDiscordMessage(alert: Alert, options: DiscordFormatOptions): DiscordMessageBody {
  const url = safeHttpUrl(alert.url);
  const published = formatDate(alert.published);
  const rules = ruleLines(alert);
  const fields = [
    field('Published', published ?? 'date not given', true),
    field('Severity', `${severityBadge(alert.severity)} (score ${formatScore(alert.score)})`, true),
    field('People', peopleText(alert), true),
    field('Places', placesText(alert), true),
    field('Rules', rules.length > 0 ? rules.join('\n') : undefined, false),
    field('Also reported by', alsoReportedText(alert), false),
    field('Triage', triageText(alert, triageLabel), false),
  ]
    .filter((f): f is APIEmbedField => f !== undefined)
    .slice(0, DISCORD_LIMITS.fields);

  // Author names are not Markdown, so only the mention breakers apply.
  const author = fitText(cleanText(alert.sourceName), DISCORD_LIMITS.author, neutraliseMentions);
  const timestamp = alert.published && formatDate(alert.published) ? new Date(alert.published).toISOString() : undefined;
  const embed: APIEmbed = {
    title: escapeDiscord(alert.title, DISCORD_LIMITS.title) || '(untitled)',
    description: description(alert),
    color: SEVERITY_COLOURS[alert.severity],
    fields,
    footer: { text: fitText(`Refoulement Watch · alert ${cleanText(alert.id)} · found ${formatDate(alert.discoveredAt) ?? 'now'}`, 256) },
    ...(author ? { author: { name: author } } : {}),
    ...(url ? { url } : {}),
    ...(timestamp ? { timestamp } : {}),
  };

  const body: DiscordMessageBody = { embeds: [fitEmbedTotal(embed)] };
  const roles = (options.mentionRoleIds ?? []).filter((id) => /^\d{17,20}$/.test(id));
  if (roles.length > 0) {
    body.content = fitText(`${roles.map((id) => `<@&${id}>`).join(' ')} ${severityBadge(alert.severity)} alert`, DISCORD_LIMITS.content);
  }
  if (options.withActions) {
    const row = discordActionRow(alert.id, alert.triage?.status);
    if (row) body.components = [row];
  }
  return body;
}
