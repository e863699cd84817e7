import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HtmlSelectors, Source } from '../../../src/domain/index.js';
import { parseFeed } from '../../../src/sources/parse/index.js';

const PAGE = readFileSync(new URL('../../fixtures/pages/ohchr-listing.html', import.meta.url), 'utf8');
const NOW = (): number => Date.parse('2026-10-01T00:00:00Z');

function ohchr(select: HtmlSelectors): Source {
  return { id: 'ohchr', type: 'html', url: 'https://www.ohchr.org/en/press-releases', everyMs: 86_400_000, select };
}

const SELECT: HtmlSelectors = {
  item: 'article.card',
  title: 'h3',
  link: 'h3 a@href',
  date: 'time@datetime',
  summary: '.card-summary',
};

describe('parseFeed on an HTML listing page', () => {
  it('reads items with selectors, resolving relative links against the page URL', async () => {
    const result = await parseFeed(PAGE, ohchr(SELECT), undefined, { now: NOW });
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.title).toBe('Press releases | OHCHR (test copy)');
    expect(result.items.map((i) => [i.title, i.canonicalUrl, i.published])).toEqual([
      [
        'China must halt forced returns to DPRK: UN experts',
        'https://www.ohchr.org/en/press-releases/2026/09/china-must-halt-forced-returns-dprk',
        '2026-09-28T12:00:00Z',
      ],
      [
        "High Commissioner's global update to the Human Rights Council",
        'https://www.ohchr.org/en/statements/2026/09/high-commissioner-statement-hrc-63',
        '2026-09-22T08:30:00Z',
      ],
      // No datetime attribute: the date is absent, not invented.
      ['Seoul office publishes accountability report', 'https://www.ohchr.org/en/press-releases/2026/09/seoul-office-report', undefined],
    ]);
    expect(result.items[0]?.summary).toBe('UN experts today urged China to stop returning people to the DPRK, where they face torture.');
    expect(result.items[0]?.url).toBe(
      'https://www.ohchr.org/en/press-releases/2026/09/china-must-halt-forced-returns-dprk?utm_source=listing',
    );
    expect(result.items[0]?.id).toBe(result.items[0]?.canonicalUrl);
    expect(result.items[0]?.lang).toBe('en');
  });

  it('reads dates from element text when no attribute is given', async () => {
    const result = await parseFeed(PAGE, ohchr({ ...SELECT, date: 'time' }), undefined, { now: NOW });
    expect(result.kind === 'ok' && result.items.map((i) => i.published)).toEqual([
      '2026-09-28T00:00:00Z',
      '2026-09-22T00:00:00Z',
      '2026-09-20T00:00:00Z',
    ]);
  });

  it('prefers baseUrl (the final fetched URL) for relative links', async () => {
    const result = await parseFeed(PAGE, ohchr(SELECT), 'https://mirror.example.org/en/press-releases', { now: NOW });
    expect(result.kind === 'ok' && result.items[1]?.canonicalUrl).toBe(
      'https://mirror.example.org/en/statements/2026/09/high-commissioner-statement-hrc-63',
    );
  });

  it('reads an attribute of the item element itself with "@attr"', async () => {
    const result = await parseFeed(PAGE, ohchr({ item: 'h3 a', title: '', link: '@href' }), undefined, { now: NOW });
    expect(result.kind === 'ok' && result.items.map((i) => i.title)).toEqual([
      'https://www.ohchr.org/en/press-releases/2026/09/china-must-halt-forced-returns-dprk?utm_source=listing',
      'https://www.ohchr.org/en/statements/2026/09/high-commissioner-statement-hrc-63',
      'https://www.ohchr.org/en/press-releases/2026/09/seoul-office-report',
    ]);
  });

  it('is an error when the item selector matches nothing', async () => {
    const result = await parseFeed(PAGE, ohchr({ ...SELECT, item: '.views-row-renamed' }), undefined, { now: NOW });
    expect(result).toEqual({
      kind: 'error',
      message: expect.stringMatching(/"item" \(\.views-row-renamed\) matched nothing.*layout may have changed/),
    });
  });

  it('names an invalid selector', async () => {
    const result = await parseFeed(PAGE, ohchr({ ...SELECT, link: 'a[href@href' }), undefined, { now: NOW });
    expect(result).toEqual({ kind: 'error', message: expect.stringMatching(/selector "link" .* is not valid CSS/) });
  });

  it('is an error when an html source has no selectors', async () => {
    const result = await parseFeed(PAGE, { id: 'x', type: 'html', url: 'https://x.example/', everyMs: 1 }, undefined, { now: NOW });
    expect(result).toEqual({ kind: 'error', message: expect.stringMatching(/type html but has no select/) });
  });

  it('ignores javascript: links in listings', async () => {
    const html = '<ul><li><a href="javascript:alert(1)">Bad</a></li><li><a href="/ok">Good</a></li></ul>';
    const result = await parseFeed(html, ohchr({ item: 'li', title: 'a', link: 'a@href' }), undefined, { now: NOW });
    expect(result.kind === 'ok' && result.items.map((i) => [i.title, i.url])).toEqual([
      ['Bad', undefined],
      ['Good', 'https://www.ohchr.org/ok'],
    ]);
  });
});
