import type { Alert } from '../domain/index.js';
import type { LabelRecord } from './store.js';

/** Confirm/dismiss counts for one rule; precision = confirmed / (confirmed + dismissed), null without labels. */
export interface RuleStats {
  rule: string;
  confirmed: number;
  dismissed: number;
  precision: number | null;
}

/** What `stats(days)` returns: plain data, rendered by each adapter. */
export interface TriageStats {
  days: number;
  /** ISO start of the window. */
  since: string;
  /** One entry per UTC day in the window, oldest first (zero days included). */
  alertsPerDay: { day: string; count: number }[];
  totals: { alerts: number; confirmed: number; dismissed: number; precision: number | null };
  /** Sorted by most dismissed, then by rule id. */
  perRule: RuleStats[];
  /** Matched terms of dismissed alerts, most frequent first (top 10). */
  dismissTerms: { term: string; count: number }[];
  dismissReasons: Record<string, number>;
}

const DAY_MS = 86_400_000;

const precision = (c: number, d: number): number | null => (c + d === 0 ? null : c / (c + d));

/** Computes stats over `days` UTC days ending at `now` (pure). */
export function computeStats(alerts: readonly Alert[], labels: readonly LabelRecord[], days: number, now: Date): TriageStats {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const start = today - (days - 1) * DAY_MS;
  const perDay = new Map<string, number>();
  for (let t = start; t <= today; t += DAY_MS) perDay.set(new Date(t).toISOString().slice(0, 10), 0);
  let alertCount = 0;
  for (const a of alerts) {
    const t = Date.parse(a.discoveredAt);
    if (!Number.isFinite(t) || t < start) continue;
    const day = new Date(t).toISOString().slice(0, 10);
    if (!perDay.has(day)) continue;
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    alertCount += 1;
  }

  const rules = new Map<string, { confirmed: number; dismissed: number }>();
  const terms = new Map<string, number>();
  const reasons: Record<string, number> = {};
  let confirmed = 0;
  let dismissed = 0;
  for (const l of labels) {
    const t = Date.parse(l.at);
    if (!Number.isFinite(t) || t < start) continue;
    if (l.label) confirmed += 1;
    else dismissed += 1;
    for (const rule of new Set(l.rules)) {
      const r = rules.get(rule) ?? { confirmed: 0, dismissed: 0 };
      if (l.label) r.confirmed += 1;
      else r.dismissed += 1;
      rules.set(rule, r);
    }
    if (!l.label) {
      reasons[l.reason ?? 'other'] = (reasons[l.reason ?? 'other'] ?? 0) + 1;
      // Count a term once per alert: one article repeating a word is not many false positives.
      for (const term of new Set(l.matches.map((m) => m.term))) terms.set(term, (terms.get(term) ?? 0) + 1);
    }
  }
  return {
    days,
    since: new Date(start).toISOString(),
    alertsPerDay: [...perDay].map(([day, count]) => ({ day, count })),
    totals: { alerts: alertCount, confirmed, dismissed, precision: precision(confirmed, dismissed) },
    perRule: [...rules]
      .map(([rule, r]) => ({ rule, ...r, precision: precision(r.confirmed, r.dismissed) }))
      .sort((a, b) => b.dismissed - a.dismissed || a.rule.localeCompare(b.rule)),
    dismissTerms: [...terms]
      .map(([term, count]) => ({ term, count }))
      .sort((a, b) => b.count - a.count || a.term.localeCompare(b.term))
      .slice(0, 10),
    dismissReasons: reasons,
  };
}
