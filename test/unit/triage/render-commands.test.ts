/** Parsing of `/refwatch` text as Slack sends it, and the dismiss-select block id round trip. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MUTE_MS,
  decodeDismissBlockId,
  decodeSlackText,
  dismissReasonMessage,
  encodeDismissBlockId,
  parseRefwatchCommand,
} from '../../../src/triage/slack/index.js';

describe('parseRefwatchCommand', () => {
  it('reads every subcommand', () => {
    expect(parseRefwatchCommand('status')).toEqual({ kind: 'status' });
    expect(parseRefwatchCommand('  sources   list ')).toEqual({ kind: 'sources-list' });
    expect(parseRefwatchCommand('sources')).toEqual({ kind: 'sources-list' });
    expect(parseRefwatchCommand('sources pause ohchr')).toEqual({ kind: 'sources-change', op: 'pause', id: 'ohchr' });
    expect(parseRefwatchCommand('sources REMOVE x')).toEqual({ kind: 'sources-change', op: 'remove', id: 'x' });
    expect(parseRefwatchCommand('stats')).toEqual({ kind: 'stats', days: 30 });
    expect(parseRefwatchCommand('stats 7d')).toEqual({ kind: 'stats', days: 7 });
    expect(parseRefwatchCommand('')).toEqual({ kind: 'help' });
  });

  it('unwraps the <url> and <url|label> forms and entities Slack sends', () => {
    expect(decodeSlackText('check <https://a.example/x?p=1&amp;q=2|a.example/x>')).toBe('check https://a.example/x?p=1&q=2');
    expect(parseRefwatchCommand('check <https://a.example/feed>')).toEqual({ kind: 'check', url: 'https://a.example/feed' });
  });

  it('sources add with type, id and interval in either form', () => {
    expect(parseRefwatchCommand('sources add <https://ngo.example/news> html --id ngo-news every=30m')).toEqual({
      kind: 'sources-add',
      url: 'https://ngo.example/news',
      options: { type: 'html', id: 'ngo-news', every: '30m' },
    });
    const bad = parseRefwatchCommand('sources add https://x.example --type atom');
    expect(bad.kind).toBe('error');
    expect(bad.kind === 'error' && bad.message).toContain('rss or html');
  });

  it('mute: multi-word terms, optional "for" and duration, default 24h', () => {
    expect(parseRefwatchCommand('mute border drill for 2d')).toEqual({ kind: 'mute', term: 'border drill', forMs: 2 * 86_400_000 });
    expect(parseRefwatchCommand('mute "military parade"')).toEqual({ kind: 'mute', term: 'military parade', forMs: DEFAULT_MUTE_MS });
    // A lone duration-looking word is the term, not a duration.
    expect(parseRefwatchCommand('mute 5g')).toEqual({ kind: 'mute', term: '5g', forMs: DEFAULT_MUTE_MS });
  });

  it('usage errors name the problem and show the usage', () => {
    for (const text of ['frobnicate', 'check', 'stats 0', 'stats 400', 'sources pause', 'status now', 'mute']) {
      const parsed = parseRefwatchCommand(text);
      expect(parsed.kind, text).toBe('error');
      expect(parsed.kind === 'error' && parsed.message, text).toContain('/refwatch status');
    }
  });
});

describe('dismiss select', () => {
  it('round-trips alert id and message location through block_id', () => {
    const id = encodeDismissBlockId({ alertId: 'al_1', channel: 'C1', ts: '1700000000.000100' });
    expect(decodeDismissBlockId(id)).toEqual({ alertId: 'al_1', channel: 'C1', ts: '1700000000.000100' });
    expect(decodeDismissBlockId('rw_triage')).toBeUndefined();
  });

  it('drops the location rather than exceed 255 characters', () => {
    const id = encodeDismissBlockId({ alertId: 'a'.repeat(200), channel: 'C'.repeat(60), ts: '1.2' });
    expect(id.length).toBeLessThanOrEqual(255);
    expect(decodeDismissBlockId(id)).toEqual({ alertId: 'a'.repeat(200) });
  });

  it('offers every dismiss reason', () => {
    const message = dismissReasonMessage({ alertId: 'al_1' }, 'Title <b>');
    const select = (message.blocks[0] as { accessory: { action_id: string; options: { value: string }[] } }).accessory;
    expect(select.action_id).toBe('rw_dismiss_reason');
    expect(select.options.map((o) => o.value)).toEqual([
      'off-topic',
      'duplicate',
      'old-news',
      'wrong-country',
      'not-forced-return',
      'other',
    ]);
    expect(message.text).toContain('Title &lt;b&gt;');
  });
});
