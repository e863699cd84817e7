import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractArticleText } from '../../../src/sources/article/index.js';

const PAGES = new URL('../../fixtures/pages/', import.meta.url);
const page = (name: string): string => readFileSync(new URL(name, PAGES), 'utf8');

describe('extractArticleText', () => {
  const cases: { file: string; title: string; first: string; last: string }[] = [
    {
      file: 'article-un.html',
      title: 'China must halt forced returns to DPRK: UN experts',
      first: 'GENEVA (28 September 2026) – UN experts today urged China',
      last: 'allow those at risk to seek asylum.',
    },
    {
      file: 'article-news.html',
      title: '中, 탈북민 강제북송 정황',
      first: '중국 당국이 랴오닝성 단둥에 구금됐던 탈북민 수십 명을',
      last: '강제송환금지 원칙 위반이라고 지적한 바 있다.',
    },
  ];

  it.each(cases)('$file: title and body, boilerplate out', ({ file, title, first, last }) => {
    const result = extractArticleText(page(file), 'https://www.example.org/article');
    expect(result?.title).toBe(title);
    const text = result?.text ?? '';
    expect(text.startsWith(first)).toBe(true);
    expect(text.endsWith(last)).toBe(true);
    for (const junk of ['SHOULD-NOT-APPEAR', 'SCRIPTTEXT', 'FOOTERTEXT', 'NAVTEXT', 'MENUTEXT', 'COOKIETEXT', '<p>', '&quot;']) {
      expect(text).not.toContain(junk);
    }
    // Paragraphs stay apart; whitespace inside them is collapsed.
    expect(text.split('\n\n')).toHaveLength(4);
    expect(text).not.toMatch(/ {2}|\t/);
  });

  it('falls back to the largest text block when Readability finds nothing', () => {
    const body = 'Detained escapees were moved to the border at night, according to two witnesses. '.repeat(2);
    const html = `<html><head><title>Short note</title></head><body><nav>Home | About</nav><table><tr><td>${body}<br>Second line of the note.</td></tr></table><footer>footer</footer></body></html>`;
    const result = extractArticleText(html, 'https://x.example/n');
    expect(result?.title).toBe('Short note');
    expect(result?.text).toContain('Detained escapees were moved');
    expect(result?.text).not.toContain('Home | About');
    expect(result?.text).not.toContain('footer');
  });

  it.each([
    ['empty', ''],
    ['navigation only', '<html><body><nav><a href="/">Home</a></nav><footer>(c)</footer></body></html>'],
    ['not HTML at all', '\u0000\u0001binary'],
  ])('returns undefined for %s', (_name, html) => {
    expect(extractArticleText(html, 'https://x.example/')).toBeUndefined();
  });

  it('survives deeply nested markup quickly', () => {
    const html = `<html><body>${'<div>'.repeat(5000)}<p>${'word '.repeat(100)}</p>${'</div>'.repeat(5000)}</body></html>`;
    const started = performance.now();
    const result = extractArticleText(html, 'https://x.example/');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result?.text).toMatch(/^(word ){99}word$/);
  });
});
