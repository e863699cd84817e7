/**
 * Runs every third-party feed fixture in ../shared/fixtures/feeds through decodeBody + parseFeed.
 * Reads ../shared, which users' clones do not have: the suite skips with a message when it is absent.
 * Run with `npm run test:shared`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Source } from '../../src/domain/index.js';
import { decodeBody } from '../../src/sources/fetch/index.js';
import { parseFeed } from '../../src/sources/parse/index.js';
import type { ParseResult } from '../../src/sources/parse/index.js';

const REPO = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const FIXTURES = resolve(REPO, '../shared/fixtures/feeds');
const present = existsSync(FIXTURES);
if (!present) console.warn(`[test:shared] ${FIXTURES} is absent: third-party feed fixtures skipped.`);

/** Content-Type each fixture assumes (feedparser `Header:` lines, rss-parser's latin1 case). */
function contentTypes(): Map<string, string> {
  const map = new Map<string, string>([['rss-parser/input/encoding.rss', 'text/xml; charset=latin1']]);
  const indexFile = join(FIXTURES, 'feedparser/_index.json');
  if (existsSync(indexFile)) {
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as Record<string, { header?: string }>;
    for (const [file, meta] of Object.entries(index)) {
      const header = meta.header?.replace(/^content-type:\s*/i, '');
      if (header) map.set(`feedparser/${file}`, header);
    }
  }
  return map;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

const files = present
  ? listFiles(FIXTURES)
      .map((path) => relative(FIXTURES, path))
      .filter((file) => !file.endsWith('PROVENANCE.md') && !file.endsWith('_index.json'))
      .sort()
  : [];

const SOURCE: Source = { id: 'shared', type: 'rss', url: 'https://fixtures.example.org/feed.xml', everyMs: 900_000 };
const results = new Map<string, ParseResult>();

async function parseFixture(file: string, contentType?: string): Promise<ParseResult> {
  const bytes = readFileSync(join(FIXTURES, file));
  const { text } = decodeBody(new Uint8Array(bytes), contentType ?? contentTypes().get(file));
  return parseFeed(text, { ...SOURCE, id: file }, `https://fixtures.example.org/${file}`);
}

describe.skipIf(!present)('shared feed fixtures', () => {
  it('parses every fixture without throwing, JSON files as clean errors', { timeout: 120_000 }, async () => {
    for (const file of files) {
      const result = await parseFixture(file);
      results.set(file, result);
      expect(result.kind === 'ok' || result.kind === 'error', file).toBe(true);
      if (file.endsWith('.json')) expect({ file, kind: result.kind }).toEqual({ file, kind: 'error' });
      if (result.kind === 'error') expect(result.message.length, file).toBeGreaterThan(5);
    }
    const rows = files.map((file) => {
      const r = results.get(file);
      const outcome =
        r?.kind === 'ok'
          ? `${r.items.length} items${r.warnings.length > 0 ? ` (${r.warnings.length} warnings)` : ''}`
          : `error: ${r?.message ?? '?'}`;
      return `${file.padEnd(70)} ${outcome.slice(0, 110)}`;
    });
    console.log(`\nfile → items / error (${files.length} files)\n${rows.join('\n')}`);
    expect(files.length).toBeGreaterThan(100);
  });

  it('matches rss-parser golden item counts', async () => {
    const outputs = readdirSync(join(FIXTURES, 'rss-parser/output'));
    const inputs = readdirSync(join(FIXTURES, 'rss-parser/input'));
    let compared = 0;
    for (const output of outputs) {
      const stem = output.replace(/\.json$/, '');
      const input = inputs.find((name) => name.replace(/\.[^.]+$/, '') === stem);
      if (!input) continue;
      const golden = JSON.parse(readFileSync(join(FIXTURES, 'rss-parser/output', output), 'latin1')) as {
        feed: { items?: Record<string, unknown>[] };
      };
      const result = await parseFixture(`rss-parser/input/${input}`);
      expect({ input, kind: result.kind }).toEqual({ input, kind: 'ok' });
      if (result.kind === 'ok') {
        // Items with no title, summary/content or link are skipped by design; nothing else may go missing.
        const filled = (v: unknown): boolean => (typeof v === 'string' && v.trim() !== '') || (typeof v === 'object' && v !== null);
        const usable = (golden.feed.items ?? []).filter((i) =>
          ['title', 'link', 'content', 'summary', 'content:encoded'].some((k) => filled(i[k])),
        );
        expect({ input, items: result.items.length }).toEqual({ input, items: usable.length });
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('refuses non-feeds and broken XML the way node-feedparser does', async () => {
    expect((await parseFixture('node-feedparser/notafeed.html')).kind).toBe('error');
    // saxerror.xml's fault is a bare "&" in a link: repaired and reported rather than refused.
    const sax = await parseFixture('node-feedparser/saxerror.xml');
    expect(sax.kind === 'ok' && sax.items.find((i) => i.title === 'Bad Item')?.url).toBe('http://example.com/bad?foo=1&bar=2');
    expect(sax.kind === 'ok' && sax.warnings.join(' ')).toMatch(/unescaped "&"/);
    expect((await parseFixture('node-feedparser/invalid-characters-gzipped.xml')).kind).toBe('error');
    expect((await parseFixture('rss-parser/input/unrecognized.rss')).kind).toBe('error');
  });

  it('keeps the first of duplicate guids (node-feedparser guid-dupes.xml)', async () => {
    const result = await parseFixture('node-feedparser/guid-dupes.xml');
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    const ids = result.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(result.items.some((i) => i.url === 'http://www.braingle.com/50366.html')).toBe(true);
  });

  it.each([
    ['feedparser/encoding/euc-kr.xml', undefined, '년'],
    ['feedparser/encoding/euc-kr-item.xml', undefined, '년'],
    ['feedparser/illformed/chardet/euckr.xml', 'text/xml; charset=euc-kr', 'EUC-KR 에서 TypeKey 한글닉네임 표시하기'],
  ])('%s gives Korean text without U+FFFD', async (file, contentType, expected) => {
    const result = await parseFixture(file, contentType);
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    const text = JSON.stringify(result);
    expect(text).not.toContain('\ufffd');
    expect(text).toContain(expected);
  });

  it.each([
    ['big5.xml', 'big5', '很容易'],
    ['eucjp.xml', 'euc-jp', 'ゲーム三昧な正月'],
    ['euckr.xml', 'euc-kr', 'EUC-KR 에서 TypeKey 한글닉네임 표시하기'],
    ['gb2312.xml', 'gb18030', '不归移民漫画系列：专业工作'],
    ['shiftjis.xml', 'shift_jis', 'DrecomRSSに記事投稿が反映されない'],
  ])('detects undeclared feedparser/illformed/chardet/%s as %s', async (name, charset, expected) => {
    const file = `feedparser/illformed/chardet/${name}`;
    // No header, no prolog encoding: only detection can read these (feedparser relies on chardet).
    expect(contentTypes().get(file)).toBeUndefined();
    expect(decodeBody(new Uint8Array(readFileSync(join(FIXTURES, file)))).charset).toBe(charset);
    const result = await parseFixture(file);
    expect(result.kind).toBe('ok');
    const text = JSON.stringify(result);
    expect(text).not.toContain('\ufffd');
    expect(text).toContain(expected);
  });
});
