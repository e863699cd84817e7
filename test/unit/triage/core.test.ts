import { describe, expect, it } from 'vitest';
import { applyTriage, computeStats, isModerator, type Actor, type LabelRecord } from '../../../src/triage/index.js';
import { paginate } from '../../../src/triage/discord/index.js';

const ana: Actor = { id: '1', name: 'Ana', platform: 'discord' };
const ben: Actor = { id: '2', name: 'Ben', platform: 'slack' };
const at = new Date('2025-03-04T10:02:00Z');

describe('applyTriage', () => {
  it('confirm and dismiss are final, with who and when in the refusal', () => {
    const dismissed = applyTriage(undefined, 'dismiss', ana, at, 'old-news');
    expect(dismissed).toEqual({ ok: true, state: { status: 'dismissed', by: 'Ana', at: at.toISOString(), reason: 'old-news' } });
    if (!dismissed.ok) throw new Error('unreachable');
    for (const action of ['confirm', 'dismiss', 'escalate', 'claim'] as const) {
      const r = applyTriage(dismissed.state, action, ben, at, 'duplicate');
      expect(r).toEqual({ ok: false, message: 'Already handled: already dismissed by Ana at 2025-03-04 10:02 UTC (old-news).' });
    }
    const confirmed = applyTriage(undefined, 'confirm', ana, at);
    if (!confirmed.ok) throw new Error('unreachable');
    expect(applyTriage(confirmed.state, 'dismiss', ben, at, 'other')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/confirmed by Ana/),
    });
  });

  it('claim and escalate can be followed by confirm or dismiss; claimedBy is kept', () => {
    const claimed = applyTriage(undefined, 'claim', ana, at);
    if (!claimed.ok) throw new Error('unreachable');
    expect(applyTriage(claimed.state, 'claim', ben, at)).toMatchObject({ ok: false });
    const escalated = applyTriage(claimed.state, 'escalate', ben, at);
    expect(escalated).toMatchObject({ ok: true, state: { status: 'escalated', by: 'Ben', claimedBy: 'Ana' } });
    if (!escalated.ok) throw new Error('unreachable');
    expect(applyTriage(escalated.state, 'escalate', ana, at)).toMatchObject({ ok: false });
    expect(applyTriage(escalated.state, 'confirm', ana, at)).toMatchObject({ ok: true, state: { status: 'confirmed', claimedBy: 'Ana' } });
  });

  it('dismiss needs a known reason', () => {
    expect(applyTriage(undefined, 'dismiss', ana, at)).toMatchObject({ ok: false, message: expect.stringMatching(/off-topic/) });
    expect(applyTriage(undefined, 'dismiss', ana, at, 'boring')).toMatchObject({ ok: false });
  });
});

describe('isModerator', () => {
  const mods = { discordRoles: ['10'], slackUsers: ['U1'], escalationRoles: [] };
  it('accepts a moderator role, Manage Server, or a listed Slack user; nothing else', () => {
    expect(isModerator({ platform: 'discord', roles: ['10'], permissions: '0' }, mods)).toBe(true);
    expect(
      isModerator({ platform: 'discord', roles: [], permissions: String(0x20 | 0x400), guildId: '1' }, mods, { trustedGuildIds: ['1'] }),
    ).toBe(true);
    expect(isModerator({ platform: 'discord', roles: ['11'], permissions: String(0x8 | 0x10) }, mods)).toBe(false);
    expect(isModerator({ platform: 'discord', roles: [], permissions: 'x' }, mods)).toBe(false);
    expect(isModerator({ platform: 'slack', userId: 'U1' }, mods)).toBe(true);
    expect(isModerator({ platform: 'slack', userId: 'U2' }, mods)).toBe(false);
    expect(isModerator(undefined, mods)).toBe(false);
  });
});

describe('paginate', () => {
  it('keeps pages within the limit and loses no text', () => {
    const text = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`).join('\n') + `\n${'y'.repeat(9000)}`;
    const pages = paginate(text, 4000);
    expect(pages.every((p) => p.length <= 4000)).toBe(true);
    expect(pages.join('').replace(/\n/g, '')).toBe(text.replace(/\n/g, ''));
    expect(paginate('short')).toEqual(['short']);
  });
});

describe('computeStats', () => {
  it('counts per day and per rule within the window', () => {
    const now = new Date('2025-03-10T12:00:00Z');
    const label = (id: string, label: boolean, day: string, rules: string[]): LabelRecord => ({
      id,
      title: id,
      text: '',
      sourceId: 's',
      decision: 'review',
      score: 5,
      rules,
      matches: [{ rule: rules[0] ?? '', term: `t-${id}`, field: 'title', snippet: '', weight: 1 }],
      label,
      by: 'Ana',
      at: `${day}T09:00:00Z`,
    });
    const alert = (day: string) => ({ discoveredAt: `${day}T08:00:00Z` }) as never;
    const s = computeStats(
      [alert('2025-03-10'), alert('2025-03-09'), alert('2025-03-09'), alert('2025-02-01')],
      [label('a', true, '2025-03-09', ['r1']), label('b', false, '2025-03-10', ['r1', 'r2']), label('old', false, '2025-01-01', ['r1'])],
      2,
      now,
    );
    expect(s.alertsPerDay).toEqual([
      { day: '2025-03-09', count: 2 },
      { day: '2025-03-10', count: 1 },
    ]);
    expect(s.totals).toEqual({ alerts: 3, confirmed: 1, dismissed: 1, precision: 0.5 });
    expect(s.perRule).toEqual([
      { rule: 'r1', confirmed: 1, dismissed: 1, precision: 0.5 },
      { rule: 'r2', confirmed: 0, dismissed: 1, precision: 0 },
    ]);
    expect(s.dismissTerms).toEqual([{ term: 't-b', count: 1 }]);
  });
});
