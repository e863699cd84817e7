import { SEVERITIES, type Alert, type Decision, type Severity } from '../domain/index.js';
import type { Route } from '../config/types.js';

export interface RoutedTarget {
  target: string;
  mentionRoles: string[];
}

/** Targets used when no route is configured at all: the console (and its alert log). */
export const FALLBACK_TARGETS: readonly RoutedTarget[] = [{ target: 'console', mentionRoles: [] }];

/**
 * Which targets an alert goes to. A route matches when every condition in its `when`
 * holds; targets are collected from all matching routes, each once. With no routes
 * configured, alerts and review items go to the console so nothing is silently dropped.
 */
export function routeAlert(routes: readonly Route[], alert: Alert, sourceTags: readonly string[] = []): RoutedTarget[] {
  if (routes.length === 0) return alert.decision === 'ignore' ? [] : [...FALLBACK_TARGETS];
  const byTarget = new Map<string, RoutedTarget>();
  for (const route of routes) {
    if (!routeMatches(route, alert, sourceTags)) continue;
    for (const target of route.to) {
      const existing = byTarget.get(target);
      const roles = route.mentionRoles ?? [];
      if (existing) existing.mentionRoles = [...new Set([...existing.mentionRoles, ...roles])];
      else byTarget.set(target, { target, mentionRoles: [...roles] });
    }
  }
  return [...byTarget.values()];
}

function routeMatches(route: Route, alert: Alert, sourceTags: readonly string[]): boolean {
  const { when } = route;
  if (when.decision !== undefined) {
    const decisions: Decision[] = Array.isArray(when.decision) ? when.decision : [when.decision];
    if (!decisions.includes(alert.decision)) return false;
  }
  if (when.minSeverity !== undefined && severityRank(alert.severity) < severityRank(when.minSeverity)) return false;
  if (when.sources !== undefined && !when.sources.includes(alert.sourceId)) return false;
  if (when.tags !== undefined) {
    const tags = new Set([...sourceTags, ...alert.rules.flatMap((rule) => rule.tags ?? [])]);
    if (!when.tags.some((tag) => tags.has(tag))) return false;
  }
  if (when.rules !== undefined) {
    const names = new Set(alert.rules.filter((r) => r.score > 0).flatMap((r) => [r.rule, r.pack]));
    if (!when.rules.some((rule) => names.has(rule))) return false;
  }
  return true;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

const DECISION_RANK: Record<Decision, number> = { ignore: 0, review: 1, alert: 2 };

export function maxDecision(a: Decision, b: Decision): Decision {
  return DECISION_RANK[a] >= DECISION_RANK[b] ? a : b;
}
