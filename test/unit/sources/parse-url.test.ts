import { describe, expect, it } from 'vitest';
import { canonicalizeUrl } from '../../../src/sources/parse/index.js';

describe('canonicalizeUrl', () => {
  const cases: [string, string, string][] = [
    ['lower-cases the host and drops the fragment', 'HTTPS://WWW.Example.COM/Path/A#section-2', 'https://www.example.com/Path/A'],
    ['drops utm_* and click ids', 'https://x.example/a?utm_source=rss&utm_medium=feed&fbclid=1&gclid=2&id=7', 'https://x.example/a?id=7'],
    ['drops mc_cid, mc_eid, ref and cmpid', 'https://x.example/a?mc_cid=a&mc_eid=b&ref=home&cmpid=c', 'https://x.example/a'],
    ['sorts the remaining parameters', 'https://x.example/a?z=1&b=2&a=3', 'https://x.example/a?a=3&b=2&z=1'],
    [
      'keeps the order of repeated keys and their encoding',
      'https://x.example/a?tag=b&s=nk/index&tag=a',
      'https://x.example/a?s=nk/index&tag=b&tag=a',
    ],
    ['drops the default port', 'https://x.example:443/a', 'https://x.example/a'],
    [
      'unwraps Bing apiclick redirects',
      'http://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&tid=T1&url=https%3a%2f%2fwww.example-post.com%2fworld%2fstory%3futm_medium%3drss%26page%3d2&c=1&mkt=en-us',
      'https://www.example-post.com/world/story?page=2',
    ],
    [
      'unwraps Google url?url= redirects',
      'https://www.google.com/url?rct=j&sa=t&url=https%3A%2F%2Fdaily.example.kr%2Fnews%2F1%3Futm_source%3Dgoogle&ct=ga&usg=x',
      'https://daily.example.kr/news/1',
    ],
    ['unwraps Google url?q= redirects', 'https://www.google.co.kr/url?q=https://a.example/b%3Fx%3D1&sa=U', 'https://a.example/b?x=1'],
    [
      'keeps opaque Google News article links, dropping oc',
      'https://news.google.com/rss/articles/CBMiABC?oc=5',
      'https://news.google.com/rss/articles/CBMiABC',
    ],
    [
      'maps UN News feed/view links to the story page',
      'https://news.un.org/feed/view/en/story/2026/09/1180001',
      'https://news.un.org/en/story/2026/09/1180001',
    ],
    [
      'maps other UN News languages too',
      'https://news.un.org/feed/view/zh/story/2026/09/1180001',
      'https://news.un.org/zh/story/2026/09/1180001',
    ],
    [
      'does not unwrap a redirect to a non-http scheme',
      'https://www.google.com/url?q=javascript:alert(1)',
      'https://www.google.com/url?q=javascript:alert(1)',
    ],
    ['leaves non-URLs alone (trimmed)', '  not a url ', 'not a url'],
    ['leaves non-http schemes alone', 'mailto:someone@example.org', 'mailto:someone@example.org'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(canonicalizeUrl(input)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const [, input] of cases) {
      const once = canonicalizeUrl(input);
      expect(canonicalizeUrl(once)).toBe(once);
    }
  });

  it('gives the publisher URL and its Bing-wrapped form the same key', () => {
    const direct = 'https://news.example.net/2026/09/28/story?utm_source=twitter';
    const wrapped = `http://www.bing.com/news/apiclick.aspx?ref=FexRss&url=${encodeURIComponent(direct)}&c=1`;
    expect(canonicalizeUrl(wrapped)).toBe(canonicalizeUrl(direct));
  });
});
