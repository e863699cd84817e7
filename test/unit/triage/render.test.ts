import { describe, expect, it } from 'vitest';
import {
  MAX_PAGES,
  PAGE_LIMITS,
  paginate,
  renderCheck,
  renderChange,
  renderMute,
  renderSourceAdd,
  renderSources,
  renderStats,
  renderStatus,
} from '../../../src/triage/render/index.js';
import type { SourceListEntry, TriageStats, TriageStatusReport } from '../../../src/triage/index.js';

const status: TriageStatusReport = {
  sources: { total: 5, healthy: 2, failing: 1, paused: 1, disabled: 0, neverPolled: 1 },
  problems: [
    { id: 'bad-feed', health: 'failing', failures: 3, lastError: 'HTTP 500 <!channel> @everyone' },
    { id: 'slow', health: 'paused', failures: 11 },
  ],
  queues: { poll: 2, analyze: 0, notify: 1 },
  alertsToday: 4,
};

function stats(rules: number): TriageStats {
  return {
    days: 7,
    since: '2026-11-16T00:00:00.000Z',
    alertsPerDay: [
      { day: '2026-11-16', count: 0 },
      { day: '2026-11-17', count: 4 },
      { day: '2026-11-18', count: 1 },
    ],
    totals: { alerts: 5, confirmed: 3, dismissed: 1, precision: 0.75 },
    perRule: Array.from({ length: rules }, (_, i) => ({ rule: `pack/rule-${i}`, confirmed: 1, dismissed: 2, precision: 1 / 3 })),
    dismissTerms: [{ term: 'border *drill*', count: 2 }],
    dismissReasons: { 'off-topic': 1 },
  };
}

function source(i: number, extra: Partial<SourceListEntry> = {}): SourceListEntry {
  return {
    source: { id: `src-${i}`, type: 'rss', url: `https://feeds.example.org/${i}.xml?a=1&b=2`, everyMs: 900_000, name: `Feed ${i}` },
    origin: i % 2 === 0 ? 'config' : 'chat',
    health: 'healthy',
    ...extra,
  };
}

describe('paginate', () => {
  it('keeps every line, in order, on pages under the limit', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i} ${'x'.repeat(30)}`);
    const pages = paginate(lines, 200, 20);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(200);
    expect(pages.join('\n').split('\n')).toEqual(lines);
  });

  it('cuts a single line longer than a page and says how much was left out past the page cap', () => {
    expect(paginate(['y'.repeat(500)], 100)[0]).toHaveLength(100);
    const pages = paginate(
      Array.from({ length: 100 }, (_, i) => `row ${i} ${'z'.repeat(40)}`),
      120,
      3,
    );
    expect(pages).toHaveLength(3);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(120);
    const last = pages.at(-1) ?? '';
    const shown = pages
      .join('\n')
      .split('\n')
      .filter((l) => l.startsWith('row ')).length;
    expect(last).toMatch(new RegExp(`… ${100 - shown} more lines not shown$`));
  });

  it('gives one empty page for no lines', () => {
    expect(paginate([], 100)).toEqual(['']);
  });
});

describe('renderStatus', () => {
  it('Slack: counts, queues and problems, feed text escaped', () => {
    const [page, ...rest] = renderStatus(status, 'slack');
    expect(rest).toEqual([]);
    expect(page).toContain('*Refoulement Watch status*');
    expect(page).toContain('5 total · 2 healthy · 1 failing · 1 paused · 0 disabled · 1 never polled');
    expect(page).toContain('Alerts today (UTC): 4');
    expect(page).toContain('poll 2 · analyze 0 · notify 1');
    expect(page).toContain('• `bad-feed` failing (3 failures): HTTP 500 &lt;!channel&gt;');
    expect(page).not.toContain('<!channel>');
    expect(page).toContain('`slow` paused (11 failures)');
  });

  it('Discord: bold with ** and mentions neutralised', () => {
    const page = renderStatus(status, 'discord')[0] ?? '';
    expect(page).toContain('**Refoulement Watch status**');
    expect(page).not.toMatch(/@everyone/);
    expect(page).not.toContain('<!channel>');
  });

  it('says so when nothing is failing', () => {
    expect(renderStatus({ ...status, problems: [] }, 'slack')[0]).toContain('No source is failing or paused.');
  });
});

describe('renderStats', () => {
  it('shows precision, per-day bars for days with alerts, rules, terms and reasons', () => {
    const page = renderStats(stats(2), 'slack')[0] ?? '';
    expect(page).toContain('*Moderation stats, last 7 days* (since 2026-11-16)');
    expect(page).toContain('Alerts: 5 · confirmed 3 · dismissed 1 · precision 75%');
    expect(page).toContain('`2026-11-17` ▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇ 4');
    expect(page).not.toContain('2026-11-16`');
    expect(page).toContain('• `pack/rule-0` confirmed 1 · dismissed 2 · precision 33%');
    expect(page).toContain('border *drill* ×2');
    expect(page).toContain('off-topic 1');
  });

  it('escapes Markdown in terms for Discord', () => {
    expect(renderStats(stats(1), 'discord')[0]).toContain('border \\*drill\\* ×2');
  });

  it('explains an empty window instead of printing n/a everywhere', () => {
    const empty = { ...stats(0), totals: { alerts: 0, confirmed: 0, dismissed: 0, precision: null }, dismissTerms: [], dismissReasons: {} };
    expect(renderStats(empty, 'discord').join('\n')).toContain('No moderator decisions in this window yet');
  });

  it('paginates many rules under the Discord limit', () => {
    const pages = renderStats(stats(120), 'discord');
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.length).toBeLessThanOrEqual(MAX_PAGES);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(PAGE_LIMITS.discord);
  });
});

describe('renderSources', () => {
  it('lists each source with its link (no unfurl on Discord, & escaped on Slack) and failures', () => {
    const failing = source(1, { health: 'failing', state: { sourceId: 'src-1', failures: 2, lastError: 'timeout', baselineDone: true } });
    const slack = renderSources([source(0), failing], 'slack').join('\n');
    expect(slack).toContain('*Sources (2)*: 1 healthy · 1 failing');
    expect(slack).toContain('• `src-0` Feed 0 · rss · every 15m · healthy · config file');
    expect(slack).toContain('<https://feeds.example.org/0.xml?a=1&amp;b=2>');
    expect(slack).toContain('2 failures: timeout');
    const discord = renderSources([source(0)], 'discord').join('\n');
    expect(discord).toContain('<https://feeds.example.org/0.xml?a=1&b=2>');
  });

  it('does not turn a non-http URL into a link', () => {
    const page = renderSources([source(0, { source: { id: 'x', type: 'rss', url: 'javascript:alert(1)', everyMs: 60_000 } })], 'slack')[0];
    expect(page).not.toContain('<javascript:');
  });

  it('keeps 300 sources within the page cap and the limit of each platform', () => {
    const entries = Array.from({ length: 300 }, (_, i) => source(i));
    for (const platform of ['discord', 'slack'] as const) {
      const pages = renderSources(entries, platform);
      expect(pages).toHaveLength(MAX_PAGES);
      for (const page of pages) expect(page.length).toBeLessThanOrEqual(PAGE_LIMITS[platform]);
      expect(pages.at(-1)).toMatch(/more lines not shown$/);
    }
  });

  it('says how to add one when there are none', () => {
    expect(renderSources([], 'slack')[0]).toContain('/refwatch sources add');
  });
});

describe('other replies', () => {
  it('sources add: found items and flagged ones, or the refusal', () => {
    const ok = renderSourceAdd(
      {
        ok: true,
        source: { id: 'ngo', type: 'rss', url: 'https://ngo.example.org/feed', everyMs: 1_800_000, name: 'NGO <b>' },
        itemCount: 12,
        flagged: [{ title: 'Forced return of 60', url: 'https://ngo.example.org/a', decision: 'alert', score: 9 }],
        warnings: [],
      },
      'slack',
    ).join('\n');
    expect(ok).toContain('Added `ngo` (NGO &lt;b&gt;): polled every 30m; the test fetch found 12 items, 1 of which the rules would flag.');
    expect(ok).toContain('• [alert 9.0] Forced return of 60 <https://ngo.example.org/a>');
    expect(renderSourceAdd({ ok: false, message: 'Refused: <private>' }, 'slack')).toEqual(['Refused: &lt;private&gt;']);
  });

  it('check: title bold, each line escaped', () => {
    const pages = renderCheck('A title\nDecision: alert · score 9.0\nMatched: <@U123>', 'slack');
    expect(pages[0]).toBe('*A title*\nDecision: alert · score 9.0\nMatched: &lt;@U123&gt;');
  });

  it('mute and change messages', () => {
    expect(renderMute({ ok: true, term: 'drill', until: new Date('2026-11-23T10:00:00Z') }, 'slack', 86_400_000)[0]).toBe(
      'Muted “drill” for 1d (until 2026-11-23 10:00 UTC): items matching it are ignored until then.',
    );
    expect(renderMute({ ok: false, message: 'A mute term must be 2–100 characters.' }, 'discord', 1)[0]).toContain('2–100');
    expect(renderChange({ ok: true, message: 'Source "x" paused' }, 'slack')).toEqual(['Source "x" paused']);
  });
});
