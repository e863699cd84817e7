import { describe, expect, it } from 'vitest';
import type { Route } from '../../../src/config/types.js';
import { FALLBACK_TARGETS, maxDecision, maxSeverity, routeAlert } from '../../../src/pipeline/index.js';
import type { Alert } from '../../../src/domain/index.js';
import { makeAlert } from './support.js';

const targetsOf = (routes: Route[], alert: Alert, sourceTags: string[] = []): string[] =>
  routeAlert(routes, alert, sourceTags).map((r) => r.target);

describe('routeAlert', () => {
  const alert = makeAlert({ decision: 'alert', severity: 'high', sourceId: 'yonhap' });

  it.each<[string, Route['when'], boolean]>([
    ['empty when', {}, true],
    ['decision equal', { decision: 'alert' }, true],
    ['decision other', { decision: 'review' }, false],
    ['decision in list', { decision: ['review', 'alert'] }, true],
    ['minSeverity below', { minSeverity: 'medium' }, true],
    ['minSeverity equal', { minSeverity: 'high' }, true],
    ['minSeverity above', { minSeverity: 'critical' }, false],
    ['sources listed', { sources: ['hrw', 'yonhap'] }, true],
    ['sources not listed', { sources: ['hrw'] }, false],
    ['rules by rule id', { rules: ['pack-a/rule-1'] }, true],
    ['rules by pack', { rules: ['pack-a'] }, true],
    ['rules other', { rules: ['pack-b'] }, false],
    ['tags from the source', { tags: ['news'] }, true],
    ['tags absent', { tags: ['un'] }, false],
    ['all conditions must hold', { decision: 'alert', minSeverity: 'critical' }, false],
  ])('%s', (_name, when, matches) => {
    expect(targetsOf([{ when, to: ['discord:1'] }], alert, ['news'])).toEqual(matches ? ['discord:1'] : []);
  });

  it('matches tags carried by the rules that scored', () => {
    const tagged = makeAlert({ rules: [{ rule: 'p/r', pack: 'p', score: 5, why: [], tags: ['korean'] }] });
    expect(targetsOf([{ when: { tags: ['korean'] }, to: ['slack:KO'] }], tagged)).toEqual(['slack:KO']);
  });

  it('ignores rules that scored nothing', () => {
    const zero = makeAlert({ rules: [{ rule: 'p/r', pack: 'p', score: 0, why: [] }] });
    expect(targetsOf([{ when: { rules: ['p'] }, to: ['slack:X'] }], zero)).toEqual([]);
  });

  it('collects each target once across routes and merges mention roles', () => {
    const routes: Route[] = [
      { when: { decision: 'alert' }, to: ['discord:1', 'slack:A'], mentionRoles: ['111'] },
      { when: { minSeverity: 'high' }, to: ['discord:1'], mentionRoles: ['222', '111'] },
      { when: { decision: 'review' }, to: ['discord:9'] },
    ];
    expect(routeAlert(routes, alert)).toEqual([
      { target: 'discord:1', mentionRoles: ['111', '222'] },
      { target: 'slack:A', mentionRoles: ['111'] }, // roles are Discord-only; the Slack client ignores them
    ]);
  });

  it('falls back to the console with no routes, except for ignored items', () => {
    expect(routeAlert([], alert)).toEqual(FALLBACK_TARGETS);
    expect(routeAlert([], makeAlert({ decision: 'review' }))).toEqual(FALLBACK_TARGETS);
    expect(routeAlert([], makeAlert({ decision: 'ignore' }))).toEqual([]);
  });

  it('ranks decisions and severities', () => {
    expect(maxDecision('review', 'alert')).toBe('alert');
    expect(maxDecision('alert', 'ignore')).toBe('alert');
    expect(maxSeverity('critical', 'low')).toBe('critical');
    expect(maxSeverity('low', 'medium')).toBe('medium');
  });
});
