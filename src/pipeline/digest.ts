import type { Alert } from '../domain/index.js';
import type { Route } from '../config/types.js';
import { routeAlert, severityRank } from './routing.js';

/** At most this many items are listed; the rest are counted ("… and 12 more"). */
const DIGEST_MAX_ITEMS = 25;

/** The alerts a route's digest covers: those the route would have received since `sinceMs`. */
export function alertsForDigest(route: Route, alerts: readonly Alert[], sinceMs: number): Alert[] {
  return alerts
    .filter((alert) => Date.parse(alert.discoveredAt) >= sinceMs)
    .filter((alert) => routeAlert([{ when: route.when, to: route.to }], alert).length > 0)
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || b.discoveredAt.localeCompare(a.discoveredAt));
}

/**
 * Plain-text digest (platform escaping is the notifier's job): a count, then one line per
 * story, most severe first, each with its link and who else reported it.
 */
export function formatDigest(alerts: readonly Alert[], sinceMs: number, now: Date): string {
  const since = new Date(sinceMs).toISOString().slice(0, 16).replace('T', ' ');
  if (alerts.length === 0) return `Refoulement Watch daily digest: no alerts since ${since} UTC.`;
  const lines = alerts.slice(0, DIGEST_MAX_ITEMS).map((alert) => {
    const also = alert.alsoReportedBy.length > 0 ? ` (also: ${alert.alsoReportedBy.join(', ')})` : '';
    const triage = alert.triage && alert.triage.status !== 'open' ? ` [${alert.triage.status}]` : '';
    return `• [${alert.severity}] ${alert.title} — ${alert.sourceName}${also}${triage}${alert.url ? `\n  ${alert.url}` : ''}`;
  });
  const more = alerts.length > DIGEST_MAX_ITEMS ? [`… and ${alerts.length - DIGEST_MAX_ITEMS} more`] : [];
  const header = `Refoulement Watch daily digest, ${now.toISOString().slice(0, 10)}: ${alerts.length} stor${alerts.length === 1 ? 'y' : 'ies'} since ${since} UTC`;
  return [header, ...lines, ...more].join('\n');
}

/** BullMQ cron pattern for a digest time "HH:MM". */
export function digestCron(at: string): string {
  const match = /^(\d{1,2}):(\d{2})$/.exec(at);
  if (!match) throw new RangeError(`digest.at must be HH:MM (got "${at}")`);
  return `${Number(match[2])} ${Number(match[1])} * * *`;
}
