/**
 * Markup per chat platform and pagination of long replies into pages under the platform limits.
 * Pure: the adapters send each page as one message (Discord content, Slack `text`).
 */
import { escapeDiscord, escapeSlack, fitText } from '../../notify/index.js';

/** The chat platforms a reply is rendered for. */
export type ChatPlatform = 'discord' | 'slack';

/**
 * Characters per page. Discord message content is capped at 2000; a Slack message `text` may be
 * longer, but 3000 also fits a section block, so a page can move into Block Kit unchanged.
 */
export const PAGE_LIMITS: Readonly<Record<ChatPlatform, number>> = { discord: 2000, slack: 3000 };

/**
 * Replies longer than this many pages are cut with a note: Slack's `response_url` accepts
 * 5 uses, and a longer Discord thread of follow-ups is noise rather than an answer.
 */
export const MAX_PAGES = 5;

/** How text is marked up on one platform; `esc` cleans, escapes and cuts untrusted text. */
export interface Markup {
  platform: ChatPlatform;
  bold(text: string): string;
  code(text: string): string;
  /** Untrusted text (feed titles, URLs, errors), escaped for the platform and cut to `max`. */
  esc(text: string, max?: number, multiline?: boolean): string;
}

// Backticks inside inline code would close it early; a lookalike keeps the text readable.
const codeSafe = (text: string): string => text.replace(/`/g, 'ˋ').replace(/[\r\n]+/g, ' ');

const DISCORD: Markup = {
  platform: 'discord',
  bold: (text) => `**${text}**`,
  code: (text) => `\`${codeSafe(text)}\``,
  esc: (text, max = 500, multiline = false) => escapeDiscord(text, max, multiline),
};

const SLACK: Markup = {
  platform: 'slack',
  bold: (text) => `*${text}*`,
  // Inside code Slack still parses <…> and &, so the text is escaped as well.
  code: (text) => `\`${escapeSlack(codeSafe(text), 500)}\``,
  esc: (text, max = 500, multiline = false) => escapeSlack(text, max, multiline),
};

/** The markup helpers for a platform. */
export function markupFor(platform: ChatPlatform): Markup {
  return platform === 'discord' ? DISCORD : SLACK;
}

/**
 * Packs lines into pages of at most `limit` characters (joined by newlines), never splitting a
 * line unless that one line is longer than a page, in which case it is cut with "…". At most
 * `maxPages` pages; when more would be needed the last page ends with a note saying how many
 * lines were left out.
 */
export function paginate(lines: readonly string[], limit: number, maxPages = MAX_PAGES): string[] {
  const note = (left: number): string => `… ${left} more line${left === 1 ? '' : 's'} not shown`;
  const pages: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const line = fitText(lines[i] ?? '', limit);
    const added = current.length === 0 ? line.length : size + 1 + line.length;
    if (added <= limit) {
      current.push(line);
      size = added;
      continue;
    }
    pages.push(current.join('\n'));
    if (pages.length === maxPages) {
      // Make room on the last page for the note, dropping lines from its end if needed.
      let last = current;
      let left = lines.length - i;
      while (last.length > 0 && last.join('\n').length + 1 + note(left).length > limit) {
        last = last.slice(0, -1);
        left += 1;
      }
      pages[pages.length - 1] = [...last, note(left)].join('\n');
      return pages;
    }
    current = [line];
    size = line.length;
  }
  if (current.length > 0 || pages.length === 0) pages.push(current.join('\n'));
  return pages;
}
