import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TriageStatus } from '../../../src/domain/index.js';
import { escapeSlack, formatSlackMessage, type SlackBlock } from '../../../src/notify/index.js';
import { validateSlackMessage } from '../../fakes/slack-api.js';
import { alertWithText, buildAlert } from './alert-fixture.js';

function mrkdwn(blocks: SlackBlock[]): string[] {
  return blocks.flatMap((b) => (b.type === 'section' ? [b.text.text] : b.type === 'context' ? b.elements.map((e) => e.text) : []));
}

describe('formatSlackMessage', () => {
  it('builds header, linked headline, why, details and context with a fallback text', () => {
    const message = formatSlackMessage(buildAlert(), { withActions: false });
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
    const [headline, why, details] = mrkdwn(message.blocks);
    expect(headline).toContain('*<https://news.example.org/2026/08/dandong-transfer?id=42|Dozens of North Korean escapees');
    expect(headline).toContain('Example News · 2026-08-01 05:30 UTC · 🟠 HIGH · alert · score 9.5');
    expect(why).toContain('• *repatriation* (title) — “moved to Dandong ahead of repatriation”');
    expect(details).toContain('*People:* about 60 (60)');
    expect(details).toContain('*Also reported by:* Seoul Daily, NK Watch Radio');
    expect(message.text).toContain('Dozens of North Korean escapees');
    expect(validateSlackMessage({ text: message.text, blocks: message.blocks })).toBeUndefined();
  });

  it('entity-encodes &, < and > in feed text so nothing can ping or link', () => {
    const message = formatSlackMessage(alertWithText('<!channel> <https://x|y> & <@U1>'), { withActions: false });
    const texts = [message.text, ...mrkdwn(message.blocks)];
    for (const text of texts) {
      expect(text).not.toMatch(/<!|<@|<https:\/\/x/);
    }
    expect(message.text).toContain('&lt;!channel&gt; &lt;https://x|y&gt; &amp; &lt;@U1&gt;');
    expect(validateSlackMessage({ text: message.text, blocks: message.blocks })).toBeUndefined();
  });

  it('does not let a URL break out of its link', () => {
    const message = formatSlackMessage(buildAlert({ url: 'https://x.example/a|b>c<!channel>' }), { withActions: false });
    const headline = mrkdwn(message.blocks)[0] ?? '';
    expect(headline).toMatch(/^\*<https:\/\/x\.example\/a%7Cb%3Ec%3C!channel%3E\|/);
  });

  const triageCases: Array<[TriageStatus | undefined, string[]]> = [
    [undefined, ['rw_confirm', 'rw_dismiss', 'rw_escalate', 'rw_claim']],
    ['claimed', ['rw_confirm', 'rw_dismiss', 'rw_escalate']],
    ['confirmed', []],
    ['dismissed', []],
  ];
  it.each(triageCases)('triage state %s offers %j with the alert id as value', (status, ids) => {
    const alert = buildAlert(status ? { triage: { status } } : {});
    const message = formatSlackMessage(alert, { withActions: true });
    const actions = message.blocks.find((b) => b.type === 'actions');
    const elements = actions?.type === 'actions' ? actions.elements : [];
    expect(elements.map((e) => e.action_id)).toEqual(ids);
    expect(elements.every((e) => e.value === alert.id)).toBe(true);
  });

  it('stays inside Block Kit limits for huge and hostile text (fast-check)', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12_000 }),
      fc.string({ unit: 'binary', maxLength: 500 }),
      fc.constantFrom('<!here>', '&&&&'.repeat(3000), '<'.repeat(10_000), '👩‍👩‍👧‍👦'.repeat(2000)),
    );
    fc.assert(
      fc.property(text, fc.boolean(), (t, withActions) => {
        const alert = alertWithText(t, {
          rules: Array.from({ length: 40 }, (_, i) => ({ rule: `pack/category-${i}`, pack: 'pack', score: i, why: [t] })),
        });
        const message = formatSlackMessage(alert, { withActions });
        expect(validateSlackMessage({ text: message.text, blocks: message.blocks })).toBeUndefined();
        expect(message.blocks.length).toBeLessThanOrEqual(50);
      }),
      { numRuns: 100 },
    );
  });
});

describe('escapeSlack', () => {
  it('encodes the three control characters', () => {
    expect(escapeSlack('a & b < c > d', 100)).toBe('a &amp; b &lt; c &gt; d');
  });
});
