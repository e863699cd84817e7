import type { SourceAddResult, SourceListEntry } from '../sources-admin.js';
import type { TriageStatusReport } from '../service.js';
import type { TriageStats } from '../stats.js';

const pct = (p: number | null): string => (p === null ? '—' : `${Math.round(p * 100)}%`);

/** `/refwatch status` as text. */
export function renderStatus(s: TriageStatusReport): string {
  const lines = [
    `Sources: ${s.sources.total} (${s.sources.healthy} healthy, ${s.sources.failing} failing, ${s.sources.paused} paused, ${s.sources.disabled} disabled, ${s.sources.neverPolled} never polled)`,
    `Alerts today: ${s.alertsToday}`,
  ];
  if (s.queues) lines.push(`Queues: ${Object.entries(s.queues).map(([q, n]) => `${q} ${n}`).join(', ')}`);
  for (const p of s.problems) lines.push(`• ${p.id}: ${p.health}, ${p.failures} failures${p.lastError ? ` — ${p.lastError}` : ''}`);
  return lines.join('\n');
}

/** `/refwatch sources list` as text. */
export function renderSources(entries: readonly SourceListEntry[]): string {
  if (entries.length === 0) return 'No sources.';
  return entries.map((e) => `• \`${e.source.id}\` (${e.origin}, ${e.health}) ${e.source.url}`).join('\n');
}

/** `/refwatch sources add` outcome as text. */
export function renderAdd(result: SourceAddResult): string {
  if (!result.ok) return result.message;
  const head = `Added \`${result.source.id}\` (${result.source.url}), polled every ${Math.round(result.source.everyMs / 60_000)} min. ` +
    `${result.itemCount} items now; ${result.flagged.length} would have been flagged.`;
  return [head, ...result.flagged.map((f) => `• [${f.decision} ${f.score.toFixed(1)}] ${f.title}`)].join('\n');
}

/** `/refwatch stats` as text. */
export function renderStats(s: TriageStats): string {
  const lines = [
    `Alerts: ${s.totals.alerts} · confirmed ${s.totals.confirmed} · dismissed ${s.totals.dismissed} · precision ${pct(s.totals.precision)}`,
    '', 'Per day:', ...s.alertsPerDay.filter((d) => d.count > 0).map((d) => `${d.day}: ${d.count}`),
    '', 'Per rule (confirmed/dismissed, precision):',
    ...s.perRule.map((r) => `${r.rule}: ${r.confirmed}/${r.dismissed} ${pct(r.precision)}`),
  ];
  if (s.dismissTerms.length > 0) lines.push('', `Terms behind dismissals: ${s.dismissTerms.map((t) => `${t.term} (${t.count})`).join(', ')}`);
  return lines.join('\n');
}
