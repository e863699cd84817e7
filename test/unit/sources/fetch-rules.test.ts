import { Readable } from 'node:stream';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseContentEncoding, readBodyCapped } from '../../../src/sources/fetch/body.js';
import { parseRetryAfter, resolveRedirect } from '../../../src/sources/fetch/http-rules.js';
import { isAllowedByRobots, type CachedRobots, type FetchResult } from '../../../src/sources/fetch/index.js';

describe('resolveRedirect', () => {
  const from = new URL('https://feeds.example/rss');
  const none = new Set<string>([from.href]);

  it('follows relative and absolute locations', () => {
    expect(resolveRedirect(from, '/v2/rss#top', none, 0, 5)).toEqual({ kind: 'follow', url: new URL('https://feeds.example/v2/rss') });
    expect(resolveRedirect(new URL('http://a.example/'), 'https://b.example/x', none, 0, 5)).toMatchObject({ kind: 'follow' });
  });
  it('refuses an https → http downgrade', () => {
    expect(resolveRedirect(from, 'http://feeds.example/rss', none, 0, 5)).toMatchObject({ kind: 'refuse', code: 'blocked' });
  });
  it.each(['file:///etc/passwd', 'ftp://feeds.example/rss', 'gopher://x.example/', 'data:text/plain,hi'])('refuses %s', (to) => {
    expect(resolveRedirect(from, to, none, 0, 5)).toMatchObject({ kind: 'refuse', code: 'blocked' });
  });
  it('detects loops and too many hops', () => {
    expect(resolveRedirect(from, 'https://feeds.example/rss', none, 1, 5)).toMatchObject({ kind: 'refuse', code: 'too-many-redirects' });
    expect(resolveRedirect(from, '/hop6', none, 5, 5)).toMatchObject({ kind: 'refuse', code: 'too-many-redirects' });
    expect(resolveRedirect(from, '/hop5', none, 4, 5)).toMatchObject({ kind: 'follow' });
  });
  it('refuses a missing or broken Location', () => {
    expect(resolveRedirect(from, undefined, none, 0, 5)).toMatchObject({ kind: 'refuse', code: 'http-status' });
    expect(resolveRedirect(from, 'http://[bad', none, 0, 5)).toMatchObject({ kind: 'refuse', code: 'bad-url' });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-08-01T12:00:00Z');
  it('reads seconds and HTTP-dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sat, 01 Aug 2026 12:02:30 GMT', now)).toBe(150_000);
    expect(parseRetryAfter('Sat, 01 Aug 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores junk', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('readBodyCapped', () => {
  const text = 'Forced repatriation of 600 North Koreans. '.repeat(200);
  const chunked = (buf: Buffer, size = 1000): Readable =>
    Readable.from(Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size)));

  it.each([
    ['gzip', gzipSync(text)],
    ['deflate', deflateSync(text)],
    ['deflate', deflateRawSync(text)], // raw deflate some servers send as "deflate"
    ['br', brotliCompressSync(text)],
  ] as const)('decodes %s', async (encoding, body) => {
    const out = await readBodyCapped(chunked(body), parseContentEncoding(encoding), 1 << 20);
    expect(out.kind).toBe('ok');
    if (out.kind === 'ok') expect(Buffer.from(out.bytes).toString()).toBe(text);
  });

  it('undoes stacked codings in reverse order', async () => {
    const body = brotliCompressSync(gzipSync(text));
    const out = await readBodyCapped(chunked(body), parseContentEncoding('gzip, br'), 1 << 20);
    expect(out.kind === 'ok' && Buffer.from(out.bytes).toString()).toBe(text);
  });

  it('stops a gzip bomb at the decoded cap, reading only a little of the input', async () => {
    const member = gzipSync(Buffer.alloc(1 << 20)); // 1 MiB of zeros → ~1 KB
    let membersRead = 0;
    async function* bomb(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 1024; i++) {
        membersRead++;
        yield member; // 1024 concatenated members inflate to 1 GiB
      }
    }
    const out = await readBodyCapped(Readable.from(bomb()), ['gzip'], 5 * 1024 * 1024);
    expect(out.kind).toBe('too-large');
    expect(membersRead).toBeLessThan(64);
  });

  it('caps a plain body and reports unknown codings', async () => {
    const big = Readable.from(Array.from({ length: 100 }, () => Buffer.alloc(64 * 1024, 97)));
    expect((await readBodyCapped(big, [], 1024 * 1024)).kind).toBe('too-large');
    expect(await readBodyCapped(Readable.from([Buffer.from('x')]), ['compress'], 100)).toEqual({
      kind: 'unsupported-encoding',
      encoding: 'compress',
    });
  });

  it('throws on corrupt compressed data', async () => {
    await expect(readBodyCapped(Readable.from([Buffer.from('not gzip at all')]), ['gzip'], 100)).rejects.toMatchObject({
      code: 'Z_DATA_ERROR',
    });
  });
});

describe('isAllowedByRobots', () => {
  const robots = ['User-agent: *', 'Disallow: /private/', '', 'User-agent: RefoulementWatch', 'Disallow: /news/archive/', 'Allow: /'].join(
    '\n',
  );
  const ok = (text: string): FetchResult => ({
    kind: 'ok',
    status: 200,
    url: 'https://site.example/robots.txt',
    text,
    charset: 'utf-8',
    bytes: text.length,
  });

  it('applies the group for our product token and caches per origin', async () => {
    const cache = new Map<string, CachedRobots>();
    const asked: string[] = [];
    const fetchText = async (u: string): Promise<FetchResult> => {
      asked.push(u);
      return ok(robots);
    };
    expect(await isAllowedByRobots('https://site.example/news/archive/1', fetchText, { cache })).toBe(false);
    expect(await isAllowedByRobots('https://site.example/private/x', fetchText, { cache })).toBe(true);
    expect(await isAllowedByRobots('https://site.example/private/x', fetchText, { cache, userAgent: 'OtherBot/1.0' })).toBe(false);
    expect(asked).toEqual(['https://site.example/robots.txt']);
  });

  it('follows RFC 9309 for missing and unreachable robots.txt', async () => {
    const status = (s: number): FetchResult => ({ kind: 'error', code: 'http-status', status: s, url: 'x', message: 'x' });
    expect(await isAllowedByRobots('https://a.example/p', async () => status(404), { cache: new Map() })).toBe(true);
    expect(await isAllowedByRobots('https://a.example/p', async () => status(503), { cache: new Map() })).toBe(false);
    expect(await isAllowedByRobots('https://a.example/p', async () => status(429), { cache: new Map() })).toBe(false);
    expect(await isAllowedByRobots('https://a.example/p', async () => undefined, { cache: new Map() })).toBe(true);
    expect(await isAllowedByRobots('https://a.example/p', () => Promise.reject(new Error('boom')), { cache: new Map() })).toBe(false);
  });

  it('refetches after the TTL', async () => {
    const cache = new Map<string, CachedRobots>();
    let clock = 0;
    let body = 'User-agent: *\nDisallow: /';
    const fetchText = async (): Promise<string> => body;
    expect(await isAllowedByRobots('https://b.example/p', fetchText, { cache, ttlMs: 1000, now: () => clock })).toBe(false);
    body = 'User-agent: *\nAllow: /';
    clock = 500;
    expect(await isAllowedByRobots('https://b.example/p', fetchText, { cache, ttlMs: 1000, now: () => clock })).toBe(false);
    clock = 1500;
    expect(await isAllowedByRobots('https://b.example/p', fetchText, { cache, ttlMs: 1000, now: () => clock })).toBe(true);
  });
});
