import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/domain/index.js';
import { alertsForDigest, digestCron, formatDigest } from '../../../src/pipeline/index.js';

function alert(id: string, extra: Partial<Alert> = {}): Alert {
  return {
    id,
    storyId: id,
    decision: 'alert',
    severity: 'medium',
    score: 12,
    title: `Story ${id}`,
    sourceId: 'wire',
    sourceName: 'Wire',
    discoveredAt: '2026-11-21T10:00:00.000Z',
    matches: [],
    rules: [],
    entities: { people: [], places: [] },
    alsoReportedBy: [],
    ...extra,
  };
}

describe('digests', () => {
  it('turns HH:MM into a daily cron pattern and refuses anything else', () => {
    expect(digestCron('08:30')).toBe('30 8 * * *');
    expect(digestCron('0:05')).toBe('5 0 * * *');
    expect(() => digestCron('8.30')).toThrow(/HH:MM/);
  });

  it('covers what the route received since the last digest, most severe first', () => {
    const since = Date.parse('2026-11-21T00:00:00Z');
    const alerts = [
      alert('old', { discoveredAt: '2026-11-20T23:59:00.000Z' }),
      alert('review', { decision: 'review' }),
      alert('mild'),
      alert('grave', { severity: 'critical', alsoReportedBy: ['Yonhap'] }),
    ];
    const picked = alertsForDigest({ when: { decision: 'alert' }, to: ['console'] }, alerts, since);
    expect(picked.map((a) => a.id)).toEqual(['grave', 'mild']);
    const text = formatDigest(picked, since, new Date('2026-11-22T08:30:00Z'));
    expect(text.split('\n')[0]).toBe('Refoulement Watch daily digest, 2026-11-22: 2 stories since 2026-11-21 00:00 UTC');
    expect(text).toContain('• [critical] Story grave — Wire (also: Yonhap)');
  });

  it('says so when there is nothing to report', () => {
    expect(formatDigest([], Date.parse('2026-11-21T00:00:00Z'), new Date())).toBe(
      'Refoulement Watch daily digest: no alerts since 2026-11-21 00:00 UTC.',
    );
  });
});
