/**
 * Text replies to moderator commands (status, stats, sources, check, mute) for Discord markdown
 * and Slack mrkdwn. Pure: plain data in, pages of text out (see {@link paginate}).
 */
import { formatDuration } from '../../config/index.js';
import type { TriageStatusReport } from '../service.js';
import type { SourceAddResult, SourceChangeResult, SourceListEntry } from '../sources-admin.js';
import type { TriageStats } from '../stats.js';
import { markupFor, paginate, PAGE_LIMITS, type ChatPlatform, type Markup } from './pages.js';

const percent = (value: number | null): string => (value === null ? 'n/a' : `${Math.round(value * 100)}%`);

function pages(lines: readonly string[], platform: ChatPlatform): string[] {
  return paginate(lines, PAGE_LIMITS[platform]);
}

/** An http(s) URL as a link that does not unfurl (Discord `<url>`), or escaped text when unsafe. */
function link(m: Markup, url: string): string {
  let href: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return m.esc(url, 300);
    href = parsed.href;
  } catch {
    return m.esc(url, 300);
  }
  if (href.length > 500) return m.esc(url, 300);
  // WHATWG URLs percent-encode `<`, `>` and spaces already; Slack also needs `|` and `&` neutralised.
  return m.platform === 'discord' ? `<${href}>` : `<${href.replace(/&/g, '&amp;').replace(/\|/g, '%7C')}>`;
}

/** The reply to `status`: source health counts, today's alerts, queue depths, failing sources. */
export function renderStatus(report: TriageStatusReport, platform: ChatPlatform): string[] {
  const m = markupFor(platform);
  const s = report.sources;
  const lines = [
    m.bold('Refoulement Watch status'),
    `Sources: ${s.total} total · ${s.healthy} healthy · ${s.failing} failing · ${s.paused} paused · ${s.disabled} disabled · ${s.neverPolled} never polled`,
    `Alerts today (UTC): ${report.alertsToday}`,
  ];
  if (report.queues) {
    const queues = Object.entries(report.queues).map(([name, n]) => `${m.esc(name, 40)} ${n}`);
    if (queues.length > 0) lines.push(`Queued jobs: ${queues.join(' · ')}`);
  }
  if (report.problems.length === 0) {
    lines.push('No source is failing or paused.');
  } else {
    lines.push(m.bold('Needs a look:'));
    for (const p of report.problems) {
      const error = p.lastError ? `: ${m.esc(p.lastError, 300)}` : '';
      lines.push(`• ${m.code(p.id)} ${p.health} (${p.failures} failure${p.failures === 1 ? '' : 's'})${error}`);
    }
  }
  return pages(lines, platform);
}

/** The reply to `stats`: alerts per day, precision from moderators' labels, noisy rules and terms. */
export function renderStats(stats: TriageStats, platform: ChatPlatform): string[] {
  const m = markupFor(platform);
  const t = stats.totals;
  const lines = [
    m.bold(`Moderation stats, last ${stats.days} day${stats.days === 1 ? '' : 's'}`) + ` (since ${stats.since.slice(0, 10)})`,
    `Alerts: ${t.alerts} · confirmed ${t.confirmed} · dismissed ${t.dismissed} · precision ${percent(t.precision)}`,
  ];
  const max = Math.max(0, ...stats.alertsPerDay.map((d) => d.count));
  if (max > 0) {
    lines.push(m.bold('Alerts per day:'));
    // Only days with alerts: a 30-day window of mostly zeros would bury the signal.
    for (const d of stats.alertsPerDay.filter((x) => x.count > 0)) {
      const bar = '▇'.repeat(Math.max(1, Math.round((d.count / max) * 20)));
      lines.push(`${m.code(d.day)} ${bar} ${d.count}`);
    }
  }
  if (t.confirmed + t.dismissed === 0) {
    lines.push('No moderator decisions in this window yet: confirm or dismiss alerts to measure precision.');
    return pages(lines, platform);
  }
  if (stats.perRule.length > 0) {
    lines.push(m.bold('Per rule (most dismissed first):'));
    for (const r of stats.perRule) {
      lines.push(`• ${m.code(r.rule)} confirmed ${r.confirmed} · dismissed ${r.dismissed} · precision ${percent(r.precision)}`);
    }
  }
  if (stats.dismissTerms.length > 0) {
    lines.push(`${m.bold('Terms in dismissed alerts:')} ${stats.dismissTerms.map((x) => `${m.esc(x.term, 80)} ×${x.count}`).join(', ')}`);
  }
  const reasons = Object.entries(stats.dismissReasons).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (reasons.length > 0) {
    lines.push(`${m.bold('Dismiss reasons:')} ${reasons.map(([r, n]) => `${m.esc(r, 60)} ${n}`).join(' · ')}`);
  }
  return pages(lines, platform);
}

/** The reply to `sources list`: one entry per source with type, interval, health and origin. */
export function renderSources(entries: readonly SourceListEntry[], platform: ChatPlatform): string[] {
  const m = markupFor(platform);
  if (entries.length === 0) return pages(['No sources are configured. Add one with `/refwatch sources add <url>`.'], platform);
  const count = (h: SourceListEntry['health']): number => entries.filter((e) => e.health === h).length;
  const lines = [
    `${m.bold(`Sources (${entries.length})`)}: ${count('healthy')} healthy · ${count('failing')} failing · ${count('paused')} paused · ${count('disabled')} disabled · ${count('never-polled')} never polled`,
  ];
  for (const e of entries) {
    const name = e.source.name ? ` ${m.esc(e.source.name, 100)}` : '';
    const origin = e.origin === 'config' ? 'config file' : 'added in chat';
    lines.push(`• ${m.code(e.source.id)}${name} · ${e.source.type} · every ${formatDuration(e.source.everyMs)} · ${e.health} · ${origin}`);
    const detail = [link(m, e.source.url)];
    if (e.state && e.state.failures > 0) {
      detail.push(
        `${e.state.failures} failure${e.state.failures === 1 ? '' : 's'}${e.state.lastError ? `: ${m.esc(e.state.lastError, 200)}` : ''}`,
      );
    }
    lines.push(`   ${detail.join(' · ')}`);
  }
  return pages(lines, platform);
}

/** The reply to `sources add`: what the test fetch found, or why the source was refused. */
export function renderSourceAdd(result: SourceAddResult, platform: ChatPlatform): string[] {
  const m = markupFor(platform);
  if (!result.ok) return pages([m.esc(result.message, 1000)], platform);
  const s = result.source;
  const lines = [
    `Added ${m.code(s.id)}${s.name ? ` (${m.esc(s.name, 100)})` : ''}: polled every ${formatDuration(s.everyMs)}; the test fetch found ${result.itemCount} item${result.itemCount === 1 ? '' : 's'}, ${result.flagged.length} of which the rules would flag.`,
  ];
  for (const f of result.flagged.slice(0, 10)) {
    lines.push(`• [${f.decision} ${f.score.toFixed(1)}] ${m.esc(f.title, 200)}${f.url ? ` ${link(m, f.url)}` : ''}`);
  }
  if (result.flagged.length > 10) lines.push(`… and ${result.flagged.length - 10} more`);
  for (const w of result.warnings.slice(0, 5)) lines.push(`Warning: ${m.esc(w, 300)}`);
  return pages(lines, platform);
}

/** The reply to remove/pause/resume, or any one-line service message. */
export function renderChange(result: SourceChangeResult | { ok: boolean; message: string }, platform: ChatPlatform): string[] {
  return pages([markupFor(platform).esc(result.message, 1000)], platform);
}

/** The reply to `check`: the service's explanation, escaped line by line. */
export function renderCheck(text: string, platform: ChatPlatform): string[] {
  const m = markupFor(platform);
  const lines = text.split('\n').map((line, i) => (i === 0 ? m.bold(m.esc(line, 300)) : m.esc(line, 600)));
  return pages(lines, platform);
}

/** The reply to `mute`; `forMs` is the duration asked for (shown as given, e.g. 24h). */
export function renderMute(
  result: { ok: true; term: string; until: Date } | { ok: false; message: string },
  platform: ChatPlatform,
  forMs: number,
): string[] {
  const m = markupFor(platform);
  if (!result.ok) return pages([m.esc(result.message, 1000)], platform);
  const left = formatDuration(forMs);
  return pages(
    [
      `Muted “${m.esc(result.term, 100)}” for ${left} (until ${result.until.toISOString().slice(0, 16).replace('T', ' ')} UTC): items matching it are ignored until then.`,
    ],
    platform,
  );
}
