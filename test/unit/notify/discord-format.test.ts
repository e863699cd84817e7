import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TriageStatus } from '../../../src/domain/index.js';
import { escapeDiscord, formatDiscordMessage } from '../../../src/notify/index.js';
import { validateDiscordMessage } from '../../fakes/discord-api.js';
import { alertWithText, buildAlert } from './alert-fixture.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function problems(body: ReturnType<typeof formatDiscordMessage>): string[] {
  return validateDiscordMessage({ ...body, nonce: 'n1', enforce_nonce: true, allowed_mentions: { parse: [] } }, true);
}

function allText(body: ReturnType<typeof formatDiscordMessage>): string {
  const embed = body.embeds[0];
  return [
    embed?.title,
    embed?.description,
    embed?.author?.name,
    embed?.footer?.text,
    ...(embed?.fields ?? []).flatMap((f) => [f.name, f.value]),
  ].join('\n');
}

describe('formatDiscordMessage', () => {
  it('builds one embed with the title linked, source, date, colour, terms, entities, rules and also-reported', () => {
    const body = formatDiscordMessage(buildAlert(), { withActions: false });
    expect(body.embeds).toHaveLength(1);
    const embed = body.embeds[0]!;
    expect(embed.title).toContain('Dozens of North Korean escapees');
    expect(embed.url).toBe('https://news.example.org/2026/08/dandong-transfer?id=42');
    expect(embed.author?.name).toBe('Example News');
    expect(embed.color).toBe(0xe67e22);
    expect(embed.description).toContain('**repatriation** (title)');
    const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields.Published).toBe('2026\\-08\\-01 05:30 UTC'.replace(/\\-/g, '-'));
    expect(fields.People).toContain('about 60 \\(60\\)');
    expect(fields.Places).toBe('Dandong');
    expect(fields.Rules).toContain('nk\\-forced\\-repatriation/core\\-en'.replace(/\\-/g, '-'));
    expect(fields['Also reported by']).toBe('Seoul Daily, NK Watch Radio');
    expect(fields.Triage).toBeUndefined();
    expect(body.components).toBeUndefined();
    expect(body.content).toBeUndefined();
    expect(problems(body)).toEqual([]);
  });

  it('neutralises mentions and Markdown in feed text', () => {
    const body = formatDiscordMessage(
      alertWithText('@everyone @here <@&1> <@2> <#3> **bold** [x](https://evil) `code` ~~s~~ ||spoiler|| > quote'),
      { withActions: false },
    );
    const text = allText(body);
    expect(text).not.toMatch(/@everyone|@here|<@&1>|<@2>|<#3>/);
    // The author name is not Markdown (only mention-proofed); everything else must be escaped.
    const markdown = text.replace(body.embeds[0]?.author?.name ?? '', '');
    expect(markdown).not.toMatch(/(?<!\\)\*\*bold/);
    expect(body.embeds[0]?.title).toContain('\\[x\\]\\(https://evil\\)');
    expect(body.embeds[0]?.title).toContain('\\|\\|spoiler\\|\\|');
  });

  it('pings roles only through content when a route opts in', () => {
    const body = formatDiscordMessage(buildAlert(), { withActions: false, mentionRoleIds: ['333333333333333333', 'not-a-role'] });
    expect(body.content).toBe('<@&333333333333333333> 🟠 HIGH alert');
  });

  it('cuts a 10 kB title, 40 categories and long snippets to the limits', () => {
    const long = 'Forced repatriation 강제송환 👩‍👩‍👧‍👦 e\u0301 '.repeat(300);
    const alert = alertWithText(long, {
      matches: Array.from({ length: 40 }, (_, i) => ({
        rule: `r${i}`,
        term: `term-${i}-${long}`,
        field: 'text' as const,
        snippet: long,
        weight: 1,
      })),
      rules: Array.from({ length: 40 }, (_, i) => ({ rule: `pack/category-${i}`, pack: 'pack', score: i, why: [long] })),
      alsoReportedBy: Array.from({ length: 40 }, (_, i) => `Outlet ${i}`),
    });
    const body = formatDiscordMessage(alert, { withActions: true });
    expect(body.embeds[0]!.title!.length).toBeLessThanOrEqual(256);
    expect(problems(body)).toEqual([]);
  });

  const triageCases: Array<[TriageStatus | undefined, string[]]> = [
    [undefined, ['confirm', 'dismiss', 'escalate', 'claim']],
    ['open', ['confirm', 'dismiss', 'escalate', 'claim']],
    ['claimed', ['confirm', 'dismiss', 'escalate']],
    ['escalated', ['confirm', 'dismiss']],
    ['confirmed', []],
    ['dismissed', []],
  ];
  it.each(triageCases)('triage state %s offers %j', (status, actions) => {
    const alert = buildAlert(status ? { triage: { status, by: 'mina' } } : {});
    const body = formatDiscordMessage(alert, { withActions: true });
    const ids = (body.components?.[0]?.components ?? []).map((c) => ('custom_id' in c ? c.custom_id : ''));
    expect(ids).toEqual(actions.map((a) => `rw:${a}:${alert.id}`));
    if (status) expect(body.embeds[0]?.fields?.find((f) => f.name === 'Triage')?.value).toContain('by mina');
  });

  it('drops buttons whose custom_id would exceed 100 characters', () => {
    const body = formatDiscordMessage(buildAlert({ id: 'a'.repeat(95) }), { withActions: true });
    expect(body.components).toBeUndefined();
    expect(problems(body)).toEqual([]);
  });

  it('never produces a message the strict fake would reject (fast-check)', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 3000 }),
      fc.string({ unit: 'binary', maxLength: 500 }),
      fc.constantFrom('@everyone', '<@&1>', '\u0000\u001b[2J', 'e\u0301'.repeat(2000), '👩‍👩‍👧‍👦'.repeat(600)),
    );
    fc.assert(
      fc.property(text, fc.string({ maxLength: 300 }), fc.boolean(), (t, url, withActions) => {
        const body = formatDiscordMessage(alertWithText(t, { url }), { withActions });
        expect(problems(body)).toEqual([]);
        expect(LONE_SURROGATE.test(JSON.stringify(body))).toBe(false);
        expect(allText(body)).not.toMatch(/@everyone|@here|<@/);
      }),
      { numRuns: 150 },
    );
  });
});

describe('escapeDiscord', () => {
  it('escapes each special character once', () => {
    expect(escapeDiscord('a*b_c~d|e>f`g[h]i(j)k\\l#', 100)).toBe('a\\*b\\_c\\~d\\|e\\>f\\`g\\[h\\]i\\(j\\)k\\\\l\\#');
  });
});
