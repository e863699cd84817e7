import { describe, expect, it } from 'vitest';
import type { Source } from '../../../src/domain/index.js';
import { parseFeed } from '../../../src/sources/parse/index.js';

const SOURCE: Source = { id: 'hostile', type: 'rss', url: 'https://feeds.example.org/hostile.xml', everyMs: 900_000 };

const laughs = (() => {
  let dtd = '<!ENTITY lol0 "lol">';
  for (let i = 1; i <= 9; i++) dtd += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
  return `<?xml version="1.0"?><!DOCTYPE rss [${dtd}]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>`;
})();

const deep = `<rss version="2.0"><channel><item><title>deep</title><description>${'<div>'.repeat(20_000)}x${'</div>'.repeat(20_000)}</description></item></channel></rss>`;

describe('parseFeed on hostile input', () => {
  const cases: [string, string][] = [
    ['billion laughs', laughs],
    [
      'XXE file entity',
      `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>t</title><item><title>&xxe;</title><description>&xxe;</description></item></channel></rss>`,
    ],
    [
      '__proto__ elements',
      `<rss version="2.0"><channel><title>t</title><__proto__><polluted>yes</polluted></__proto__><item><__proto__><polluted>yes</polluted></__proto__><constructor><prototype><polluted>yes</polluted></prototype></constructor><title>a</title><guid>__proto__</guid></item></channel></rss>`,
    ],
    ['truncated CDATA', `<rss version="2.0"><channel><title>t</title><item><title><![CDATA[abc</title></item></channel></rss>`],
    [
      'corrupted ampersands',
      `<rss version="2.0"><channel><title>t</title><item><title>a & b</title><link>http://x.example/?a=1&b=2</link></item></channel></rss>`,
    ],
    ['rss without channel', `<rss version="2.0"></rss>`],
    ['gzip bytes read as text', '\u001f\u008b\u0008\u0000\u0000\u0000\u0000\u0000\u0000\u0003\u00ab\u0056'],
    ['deeply nested markup', deep],
    ['unclosed everything', '<rss version="2.0"><channel><item><title>x'],
  ];

  it.each(cases)('%s: resolves (error or inert) quickly without polluting prototypes', async (_name, text) => {
    const started = performance.now();
    const result = await parseFeed(text, SOURCE);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    if (result.kind === 'error') {
      expect(result.message.length).toBeGreaterThan(10);
    } else {
      const text = JSON.stringify(result.items);
      expect(text).not.toContain('root:');
      expect(text).not.toContain('lollollol');
    }
  });

  it('never reads local files through entities', async () => {
    const result = await parseFeed(cases[1]?.[1] ?? '', SOURCE);
    expect(JSON.stringify(result)).not.toMatch(/root:.*:0:0:/);
  });

  it('refuses billion laughs with a named XML error', async () => {
    const result = await parseFeed(laughs, SOURCE);
    expect(result).toMatchObject({ kind: 'error' });
    expect(result.kind === 'error' && result.message).toMatch(/^not well-formed XML: .*entity.*line 1, column \d+/i);
  });

  it('reads unescaped ampersands as text and says so', async () => {
    const result = await parseFeed(cases[4]?.[1] ?? '', SOURCE);
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.items[0]).toMatchObject({ title: 'a & b', url: 'http://x.example/?a=1&b=2', canonicalUrl: 'http://x.example/?a=1&b=2' });
    expect(result.warnings.join('\n')).toMatch(/unescaped "&"/);
  });

  it('treats an <rss> with no channel as an empty feed', async () => {
    const result = await parseFeed(cases[5]?.[1] ?? '', SOURCE);
    expect(result).toEqual({ kind: 'ok', items: [], warnings: [expect.stringMatching(/no <channel>/)] });
  });

  it('keeps an item whose guid is "__proto__" as plain data', async () => {
    const result = await parseFeed(cases[2]?.[1] ?? '', SOURCE);
    expect(result.kind).toBe('ok');
    if (result.kind === 'ok') expect(result.items.map((i) => i.id)).toEqual(['__proto__']);
  });
});

describe('parseFeed errors name the problem', () => {
  const cases: [string, string, RegExp][] = [
    ['empty document', '   \n ', /empty/],
    ['JSON feed', '{"version":"https://jsonfeed.org/version/1","items":[]}', /JSON, not RSS\/Atom/],
    ['HTML page', '<!DOCTYPE html><html><head><title>x</title></head><body></body></html>', /HTML page, not a feed/],
    ['HTML page after an XML declaration', '<?xml version="1.0"?>\n<html><body>x</body></html>', /HTML page, not a feed/],
    ['plain text', 'Service Unavailable', /not XML \(it starts with "Service Unavailable"\)/],
    ['unknown root', '<?xml version="1.0"?><opml version="1.0"><body/></opml>', /not an RSS or Atom feed/],
    ['malformed XML', '<rss version="2.0"><channel><title>x</channel></rss>', /not well-formed XML: .*line 1/],
  ];
  it.each(cases)('%s', async (_name, text, message) => {
    const result = await parseFeed(text, SOURCE);
    expect(result.kind).toBe('error');
    if (result.kind === 'error') expect(result.message).toMatch(message);
  });

  it('rejects text over the size limit without parsing it', async () => {
    const result = await parseFeed(' '.repeat(21 * 1024 * 1024), SOURCE);
    expect(result).toMatchObject({ kind: 'error', message: expect.stringMatching(/over the .* limit/) });
  });

  it('caps the number of items and says so', async () => {
    const items = Array.from({ length: 1200 }, (_, i) => `<item><title>t${i}</title><guid>g${i}</guid></item>`).join('');
    const result = await parseFeed(`<rss version="2.0"><channel>${items}</channel></rss>`, SOURCE);
    expect(result.kind).toBe('ok');
    if (result.kind === 'ok') {
      expect(result.items).toHaveLength(1000);
      expect(result.warnings.join('\n')).toMatch(/1200 items; only the first 1000/);
    }
  });
});
