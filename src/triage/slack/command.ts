/**
 * Parsing of `/refwatch …` slash-command text into a command (pure). The subcommands are the
 * Discord ones: status, sources list|add|remove|pause|resume, check, mute, stats.
 */
import { parseDuration } from '../../config/index.js';
import type { SourceAddOptions } from '../sources-admin.js';

/** A parsed `/refwatch` command, or a usage error to show the moderator. */
export type RefwatchCommand =
  | { kind: 'status' }
  | { kind: 'sources-list' }
  | { kind: 'sources-add'; url: string; options: SourceAddOptions }
  | { kind: 'sources-change'; op: 'remove' | 'pause' | 'resume'; id: string }
  | { kind: 'check'; url: string }
  | { kind: 'mute'; term: string; forMs: number }
  | { kind: 'stats'; days: number }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

/** Mute length when none is given: long enough to silence a noisy news cycle, short enough to be forgotten safely. */
export const DEFAULT_MUTE_MS = 24 * 3_600_000;
/** Stats window when none is given. */
export const DEFAULT_STATS_DAYS = 30;

/** One line per subcommand, shown for `help`, an empty command and usage errors. */
export const REFWATCH_USAGE = [
  '/refwatch status — source health, queue depths, alerts today',
  '/refwatch sources list',
  '/refwatch sources add <url> [rss|html] [--id <id>] [--every 30m] — test-fetches first',
  '/refwatch sources remove|pause|resume <id>',
  '/refwatch check <url> — would this feed or article alert, and why',
  '/refwatch mute <term> [for] — e.g. `mute border drill 2d` (default 24h)',
  "/refwatch stats [days] — precision from moderators' decisions (default 30 days)",
].join('\n');

/**
 * Undoes Slack's encoding of command text: `<url|label>` / `<url>` become the URL, and the
 * `&amp; &lt; &gt;` entities Slack always applies become characters again.
 */
export function decodeSlackText(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const usage = (message: string): RefwatchCommand => ({ kind: 'error', message: `${message}\nUsage:\n${REFWATCH_USAGE}` });

function parseSourcesAdd(args: string[]): RefwatchCommand {
  const options: SourceAddOptions = {};
  let url: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const eq = /^(?:--)?(type|id|every)=(.+)$/.exec(arg);
    const flag = /^--(type|id|every)$/.exec(arg);
    const key = eq?.[1] ?? flag?.[1];
    const value = eq ? eq[2] : flag ? args[++i] : undefined;
    if (key !== undefined) {
      if (value === undefined) return usage(`--${key} needs a value.`);
      if (key === 'type') {
        if (value !== 'rss' && value !== 'html') return usage(`Source type must be rss or html (got "${value}").`);
        options.type = value;
      } else if (key === 'id') options.id = value;
      else options.every = value;
    } else if (arg === 'rss' || arg === 'html') {
      options.type = arg;
    } else if (url === undefined) {
      url = arg;
    } else {
      return usage(`Unexpected "${arg}" after the URL.`);
    }
  }
  if (url === undefined) return usage('Give the feed or page URL.');
  return { kind: 'sources-add', url, options };
}

function parseMute(args: string[]): RefwatchCommand {
  let words = [...args];
  let forMs = DEFAULT_MUTE_MS;
  const last = words.at(-1);
  const parsed = last === undefined ? undefined : parseDuration(last);
  if (parsed !== undefined && words.length > 1) {
    forMs = parsed;
    words = words.slice(0, -1);
    // "mute drill for 2d" reads naturally; the "for" is not part of the term.
    if (words.length > 1 && words.at(-1)?.toLowerCase() === 'for') words = words.slice(0, -1);
  }
  const term = words
    .join(' ')
    .replace(/^["“](.*)["”]$/u, '$1')
    .trim();
  if (term === '') return usage('Give the term to mute.');
  return { kind: 'mute', term, forMs };
}

/** Parses the text after `/refwatch` (as Slack sends it) into a command. */
export function parseRefwatchCommand(rawText: string): RefwatchCommand {
  const args = decodeSlackText(rawText).trim().split(/\s+/u).filter(Boolean);
  const [sub, ...rest] = args;
  switch (sub?.toLowerCase()) {
    case undefined:
    case 'help':
      return { kind: 'help' };
    case 'status':
      return rest.length === 0 ? { kind: 'status' } : usage('`status` takes no arguments.');
    case 'check':
      return rest.length === 1 && rest[0] ? { kind: 'check', url: rest[0] } : usage('`check` takes one URL.');
    case 'mute':
      return parseMute(rest);
    case 'stats': {
      if (rest.length === 0) return { kind: 'stats', days: DEFAULT_STATS_DAYS };
      const m = /^(\d{1,3})d?$/.exec(rest[0] ?? '');
      const days = m ? Number(m[1]) : Number.NaN;
      if (rest.length > 1 || !(days >= 1 && days <= 365)) return usage('`stats` takes a number of days from 1 to 365.');
      return { kind: 'stats', days };
    }
    case 'sources': {
      const [op, ...more] = rest;
      switch (op?.toLowerCase()) {
        case undefined:
        case 'list':
          return more.length === 0 ? { kind: 'sources-list' } : usage('`sources list` takes no arguments.');
        case 'add':
          return parseSourcesAdd(more);
        case 'remove':
        case 'pause':
        case 'resume': {
          const name = op.toLowerCase() as 'remove' | 'pause' | 'resume';
          return more.length === 1 && more[0]
            ? { kind: 'sources-change', op: name, id: more[0] }
            : usage(`\`sources ${name}\` takes one source id.`);
        }
        default:
          return usage(`Unknown sources subcommand "${op}".`);
      }
    }
    default:
      return usage(`Unknown subcommand "${sub}".`);
  }
}
