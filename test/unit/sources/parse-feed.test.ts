import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Item, Source } from '../../../src/domain/index.js';
import { parseFeed } from '../../../src/sources/parse/index.js';
import type { ParseResult } from '../../../src/sources/parse/index.js';

const FEEDS = new URL('../../fixtures/feeds/', import.meta.url);
const NOW = Date.parse('2026-10-01T00:00:00Z');
const now = (): number => NOW;

function fixture(name: string): string {
  return readFileSync(new URL(name, FEEDS), 'utf8');
}

function source(id: string, extra: Partial<Source> = {}): Source {
  return { id, type: 'rss', url: `https://feeds.example.org/${id}.xml`, everyMs: 900_000, ...extra };
}

function ok(result: ParseResult): Extract<ParseResult, { kind: 'ok' }> {
  if (result.kind !== 'ok') throw new Error(`expected ok, got error: ${result.message}`);
  return result;
}

async function items(name: string, extra: Partial<Source> = {}): Promise<Item[]> {
  return ok(await parseFeed(fixture(name), source(name, extra), undefined, { now })).items;
}

/** Item fields where `undefined` means "must be absent". */
type Expected = { [K in keyof Item]?: Item[K] | undefined };

/** Expected fields per item, in feed order; only the listed fields are compared. */
const TABLE: { file: string; source?: Partial<Source>; title?: string; expect: Expected[] }[] = [
  {
    file: 'yonhap-ko.xml',
    source: { timezone: 'Asia/Seoul' },
    title: '연합뉴스 - 북한',
    expect: [
      {
        id: 'AKR20260927000100504',
        title: '[속보] 中, 탈북민 수십명 강제북송 정황',
        published: '2026-09-27T10:00:00Z',
        author: '김철수',
        lang: 'ko',
      },
      {
        id: 'AKR20260927000151504',
        canonicalUrl: 'https://www.yna.co.kr/view/AKR20260927000151504?section=nk/index',
        summary: '(서울=연합뉴스) 인권단체 E&S 관계자는 "버스 여러 대가 국경 쪽으로 이동했다"며 \'강제북송\' 가능성을 제기했다.',
        published: '2026-09-27T12:15:00Z',
      },
      { id: 'AKR20260928004200504', title: '통일부 "강제북송 우려 중국에 전달"(2보)', author: '이영희', published: '2026-09-28T00:05:00Z' },
    ],
  },
  {
    file: 'yonhap-en.xml',
    source: { timezone: 'Asia/Seoul' },
    expect: [
      { id: 'https://en.yna.co.kr/view/AEN20260927001200315', published: '2026-09-27T10:00:00Z', lang: 'en' },
      { published: '2026-09-27T12:40:00Z' },
      { published: '2026-09-28T00:30:00Z', title: '(2nd LD) Seoul voices concern to Beijing over repatriation reports' },
    ],
  },
  {
    file: 'google-news.xml',
    expect: [
      {
        id: 'CBMiTESTOPAQUEIDabc123',
        title: 'China forcibly repatriated dozens of North Korean escapees, group says',
        publisher: 'The Example Times',
        url: 'https://news.google.com/rss/articles/CBMiTESTOPAQUEIDabc123?oc=5',
        canonicalUrl: 'https://news.google.com/rss/articles/CBMiTESTOPAQUEIDabc123',
        published: '2026-09-27T14:20:00Z',
        lang: 'en-US',
      },
      { title: 'UN rights office "alarmed" by reports of forced returns to North Korea', publisher: 'Example Wire - Asia' },
      {
        title: 'Activists rally in Seoul against repatriations',
        publisher: 'Seoul Example Daily',
        canonicalUrl: 'https://daily.example.kr/news/2026/09/rally?id=42',
      },
    ],
  },
  {
    file: 'bing-news.xml',
    expect: [
      {
        id: 'https://www.example-post.com/world/asia/china-defectors?page=2',
        canonicalUrl: 'https://www.example-post.com/world/asia/china-defectors?page=2',
        publisher: 'The Example Post',
        published: '2026-09-27T16:45:00Z',
      },
      { canonicalUrl: 'https://news.example.net/2026/09/28/rights-groups-un', publisher: 'Example Net News' },
    ],
  },
  {
    file: 'un-news.xml',
    title: 'UN News - Global perspective Human stories',
    expect: [
      {
        id: '1180001 at https://news.un.org',
        url: 'https://news.un.org/feed/view/en/story/2026/09/1180001',
        canonicalUrl: 'https://news.un.org/en/story/2026/09/1180001',
        summary:
          "The UN High Commissioner for Human Rights on Monday urged China to stop returning people to the Democratic People's Republic of Korea, where they face torture and arbitrary detention. The principle of non-refoulement applies.",
        published: '2026-09-28T14:00:00Z',
        // <source> here names the topic feed, not an outlet: only Google News uses it for publishers.
        publisher: undefined,
      },
      { canonicalUrl: 'https://news.un.org/en/story/2026/09/1180042', published: '2026-09-29T10:30:00Z' },
    ],
  },
  {
    file: 'atom.xml',
    title: 'Example Rights Monitor',
    expect: [
      {
        id: 'tag:rights.example.org,2026:entry-101',
        title: 'Open letter on refoulement of escapees',
        summary: 'We call on all states to respect non-refoulement.',
        canonicalUrl: 'https://feeds.example.org/2026/09/open-letter',
        published: '2026-09-27T00:00:00Z',
        author: 'Monitor Staff',
      },
      { id: 'tag:rights.example.org,2026:entry-102', published: '2026-09-26T00:00:00Z' },
      { id: 'tag:rights.example.org,2026:entry-103', title: 'Entry with a broken date', published: undefined },
    ],
  },
  {
    file: 'rdf.xml',
    expect: [
      {
        id: 'https://kr-example.org/article/201',
        canonicalUrl: 'https://kr-example.org/article/201',
        published: '2026-09-27T09:00:00Z',
        author: '박기자',
        lang: 'ko',
      },
      { title: '국회, 북송 중단 촉구 결의안', published: '2026-09-28T00:00:00Z' },
    ],
  },
  {
    file: 'amnesty.xml',
    expect: [
      {
        id: 'https://www.amnesty.example/?p=777001',
        title: 'China: Stop forcibly returning North Koreans',
        summary: 'Chinese authorities must immediately halt the forced return of North Koreans…',
        author: 'Amnesty Example',
        lang: 'en-GB',
      },
      { id: 'https://www.amnesty.example/?p=777002', published: '2026-09-27T12:00:00Z' },
    ],
  },
  {
    file: 'korean-dates.xml',
    source: { timezone: 'Asia/Seoul' },
    expect: [
      { id: 'd1', published: '2026-09-27T10:00:00Z' },
      { id: 'd2', published: '2026-09-27T10:00:00Z' },
      { id: 'd3', published: '2026-09-27T10:00:00Z' },
      { id: 'd4', published: '2026-09-27T10:00:00Z' },
      { id: 'd5', published: '2026-09-27T10:00:00Z' },
      { id: 'd6', published: '2026-09-27T10:00:00Z' },
      { id: 'd7', published: '2026-09-26T15:00:00Z' },
      { id: 'd8', published: undefined },
    ],
  },
];

describe('parseFeed over the project fixtures', () => {
  it.each(TABLE)('$file', async ({ file, source: extra, title, expect: expected }) => {
    const result = ok(await parseFeed(fixture(file), source(file, extra), undefined, { now }));
    if (title !== undefined) expect(result.title).toBe(title);
    expect(result.items).toHaveLength(expected.length);
    expected.forEach((fields, i) => {
      const item = result.items[i];
      expect(item?.sourceId).toBe(file);
      for (const [key, value] of Object.entries(fields)) {
        expect({ i, key, value: item?.[key as keyof Item] }).toEqual({ i, key, value });
      }
    });
  });

  it.each(TABLE.map((t) => t.file))('%s: ids are stable across two parses and unique', async (file) => {
    const first = await items(file);
    const second = await items(file);
    expect(second.map((i) => i.id)).toEqual(first.map((i) => i.id));
    expect(new Set(first.map((i) => i.id)).size).toBe(first.length);
  });

  it('reads zone-less Yonhap English dates as UTC when the source has no timezone', async () => {
    const [first] = await items('yonhap-en.xml');
    expect(first?.published).toBe('2026-09-27T19:00:00Z');
  });

  it('warns and falls back to UTC for an unknown timezone name', async () => {
    const result = ok(await parseFeed(fixture('yonhap-en.xml'), source('y', { timezone: 'Mars/Olympus' }), undefined, { now }));
    expect(result.items[0]?.published).toBe('2026-09-27T19:00:00Z');
    expect(result.warnings.join('\n')).toMatch(/Mars\/Olympus/);
  });

  it('prefers the source language over the feed language', async () => {
    const [first] = await items('google-news.xml', { lang: 'ko' });
    expect(first?.lang).toBe('ko');
  });

  it('resolves relative links against baseUrl when given', async () => {
    const result = ok(await parseFeed(fixture('atom.xml'), source('a'), 'https://rights.example.org/feed.atom', { now }));
    expect(result.items[0]?.canonicalUrl).toBe('https://rights.example.org/2026/09/open-letter');
    expect(result.items[0]?.url).toBe('https://rights.example.org/2026/09/open-letter?utm_campaign=feed#top');
  });
});

describe('parseFeed on a messy feed', () => {
  it('normalises what it can and says what it dropped', async () => {
    const result = ok(await parseFeed(fixture('messy.xml'), source('messy'), undefined, { now }));
    expect(result.title).toBe('Messy & Co. feed');
    const byTitle = new Map(result.items.map((i) => [i.title, i]));

    // No version attribute and a leading blank line: still read as RSS 2.0.
    const escaped = byTitle.get('Escaped markup & more');
    expect(escaped?.id).toBe('https://feeds.example.org/news/1');
    expect(escaped?.url).toBe('https://feeds.example.org/news/1?utm_source=feed');

    // Raw markup in a title: tags gone, text kept; no guid, no link → hash id.
    const markup = result.items.find((i) => i.id.startsWith('h_'));
    expect(markup?.title).toMatch(/^x ?&$/);
    expect(markup?.published).toBeUndefined();
    expect(markup?.id).toMatch(/^h_[0-9a-f]{40}$/);

    // Same guid: exact repeat dropped, different story suffixed.
    const dup = result.items.filter((i) => i.id.startsWith('dup-1'));
    expect(dup.map((i) => i.title)).toEqual(['Same guid, first', 'Same guid, different story']);
    expect(dup[0]?.id).toBe('dup-1');
    expect(dup[1]?.id).toMatch(/^dup-1~[0-9a-f]{8}$/);

    // Future date dropped, item kept.
    expect(byTitle.get('From the future')?.published).toBeUndefined();
    // javascript: link never becomes url or canonicalUrl.
    const script = byTitle.get('Script link');
    expect(script?.url).toBeUndefined();
    expect(script?.canonicalUrl).toBeUndefined();
    expect(script?.id).toBe('js-1');

    // The blank item is skipped.
    expect(result.items).toHaveLength(6);
    const warnings = result.warnings.join('\n');
    expect(warnings).toMatch(/duplicate item.*dropped.*dup-1/);
    expect(warnings).toMatch(/~hash" suffix.*dup-1/);
    expect(warnings).toMatch(/future.*2100/);
    expect(warnings).toMatch(/could not be read.*yesterday-ish/);
    expect(warnings).toMatch(/not http\(s\)/);
  });

  it('gives the same ids over three polls', async () => {
    const polls = await Promise.all([1, 2, 3].map(() => items('messy.xml')));
    expect(polls[1]?.map((i) => i.id)).toEqual(polls[0]?.map((i) => i.id));
    expect(polls[2]?.map((i) => i.id)).toEqual(polls[0]?.map((i) => i.id));
  });

  it('keeps a hash id stable when other items change around it', async () => {
    const a = await parseFeed(
      `<rss version="2.0"><channel><title>t</title><item><title>Only title</title><pubDate>Sun, 27 Sep 2026 10:00:00 GMT</pubDate></item></channel></rss>`,
      source('h'),
      undefined,
      { now },
    );
    const b = await parseFeed(
      `<rss version="2.0"><channel><title>t</title><item><title>New</title><guid>n</guid></item><item><title>Only title</title><pubDate>Sun, 27 Sep 2026 10:00:00 GMT</pubDate></item></channel></rss>`,
      source('h'),
      undefined,
      { now },
    );
    expect(ok(b).items[1]?.id).toBe(ok(a).items[0]?.id);
  });

  it('uses the guid as link when <link> is missing and the guid is a URL', async () => {
    const result = ok(
      await parseFeed(
        `<rss version="2.0"><channel><item><title>T</title><guid>https://x.example/a?utm_source=x</guid></item></channel></rss>`,
        source('g'),
        undefined,
        { now },
      ),
    );
    expect(result.items[0]).toMatchObject({
      id: 'https://x.example/a?utm_source=x',
      url: 'https://x.example/a?utm_source=x',
      canonicalUrl: 'https://x.example/a',
    });
  });

  it('accepts a leading BOM', async () => {
    const result = await parseFeed(`\ufeff${fixture('rdf.xml')}`, source('bom'), undefined, { now });
    expect(ok(result).items).toHaveLength(2);
  });

  it('uses Date.now by default, so near-present dates survive', async () => {
    const date = new Date(Date.now() - 3_600_000).toUTCString();
    const result = ok(
      await parseFeed(
        `<rss version="2.0"><channel><item><title>T</title><guid>1</guid><pubDate>${date}</pubDate></item></channel></rss>`,
        source('n'),
      ),
    );
    expect(result.items[0]?.published).toBe(new Date(Date.parse(date)).toISOString().replace('.000Z', 'Z'));
  });
});
