import type { Alert, Severity } from '../domain/index.js';
import { cleanText } from './text.js';

/**
 * Platform-neutral pieces of an alert message, cleaned of control characters but NOT escaped:
 * each formatter escapes for its own markup.
 */

/** Colour per severity (Discord embed colour; Slack uses the emoji). */
export const SEVERITY_COLOURS: Record<Severity, number> = {
  low: 0x95a5a6,
  medium: 0xf1c40f,
  high: 0xe67e22,
  critical: 0xe74c3c,
};

const SEVERITY_EMOJI: Record<Severity, string> = { low: '⚪', medium: '🟡', high: '🟠', critical: '🔴' };

/** "🔴 CRITICAL" style label. */
export function severityBadge(severity: Severity): string {
  return `${SEVERITY_EMOJI[severity]} ${severity.toUpperCase()}`;
}

/** One matched term, with where it matched and the text around it. */
export interface TermLine {
  term: string;
  field: 'title' | 'text';
  snippet: string;
}

/** Distinct matched terms (first occurrence wins), at most `limit`. */
export function matchedTerms(alert: Alert, limit = 6): TermLine[] {
  const seen = new Set<string>();
  const out: TermLine[] = [];
  // Hits of rules that did not count (vetoed, incomplete AND) would only confuse a reader.
  for (const match of alert.matches.filter((m) => m.weight > 0)) {
    const key = `${match.term}\u0000${match.field}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ term: cleanText(match.term), field: match.field, snippet: cleanText(match.snippet) });
    if (out.length >= limit) break;
  }
  return out;
}

/** "about 600 (600), hundreds (200)" — the people counts found, or undefined. */
export function peopleText(alert: Alert): string | undefined {
  const people = alert.entities.people.map((p) => {
    const words = cleanText(p.text);
    return words && words !== String(p.count) ? `${words} (${p.count})` : String(p.count);
  });
  return people.length > 0 ? people.join(', ') : undefined;
}

/** Places, comma-separated, or undefined. */
export function placesText(alert: Alert): string | undefined {
  const places = alert.entities.places.map((p) => cleanText(p)).filter(Boolean);
  return places.length > 0 ? places.join(', ') : undefined;
}

/** One line per rule: "pack/rule +4: title: forcibly repatriated (+4)". */
export function ruleLines(alert: Alert): string[] {
  return alert.rules
    .filter((r) => r.score !== 0)
    .map((r) => {
      const why = r.why
        .map((w) => cleanText(w))
        .filter(Boolean)
        .join('; ');
      return `${cleanText(r.rule)} +${formatScore(r.score)}${why ? `: ${why}` : ''}`;
    });
}

/** Other outlets that carried the story, or undefined. */
export function alsoReportedText(alert: Alert): string | undefined {
  const names = alert.alsoReportedBy.map((n) => cleanText(n)).filter(Boolean);
  return names.length > 0 ? names.join(', ') : undefined;
}

/** Scores print with at most one decimal. */
export function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

/** "Claimed by Mina · 2026-08-01 14:05 UTC · reason" — the triage state line, or undefined when untriaged. */
export function triageText(alert: Alert, label: (status: NonNullable<Alert['triage']>['status']) => string): string | undefined {
  const triage = alert.triage;
  if (!triage) return undefined;
  const parts = [label(triage.status)];
  if (triage.status === 'claimed' && triage.claimedBy) parts[0] = `${parts[0]} by ${cleanText(triage.claimedBy)}`;
  else if (triage.by) parts[0] = `${parts[0]} by ${cleanText(triage.by)}`;
  if (triage.at) parts.push(cleanText(triage.at));
  if (triage.reason) parts.push(cleanText(triage.reason));
  return parts.join(' · ');
}
