// fetchUrl against a local feed server on 127.0.0.1: conditional GET, statuses,
// charsets, compression, size caps and timeouts (RELIABILITY.md rows 22, 23, 25, 28).
import iconv from 'iconv-lite';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_OPTIONS, fetchUrl, type FetchOptions, type FetchResult } from '../../../src/sources/fetch/index.js';
import { createFeedServer, drip, repeatBody, reset, stall, type FeedServer } from '../../fakes/feed-server.js';

let server: FeedServer;
beforeEach(async () => {
  server = await createFeedServer();
});
afterEach(async () => {
  await server.close();
});

const local: FetchOptions = { ...DEFAULT_FETCH_OPTIONS, allowPrivateNetworks: true, timeoutMs: 5000 };
const RSS =
  '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>UN News</title>' +
  '<item><title>탈북민 강제북송</title><link>https://news.example/1</link></item></channel></rss>';

function expectKind<K extends FetchResult['kind']>(result: FetchResult, kind: K): Extract<FetchResult, { kind: K }> {
  expect(result, JSON.stringify(result)).toMatchObject({ kind });
  return result as Extract<FetchResult, { kind: K }>;
}

describe('fetchUrl: statuses and conditional GET', () => {
  it('returns the body, validators and sends a User-Agent naming the bot', async () => {
    server.route('/feed', {
      headers: { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"', 'last-modified': 'Sat, 01 Aug 2026 10:00:00 GMT' },
      body: RSS,
    });
    const ok = expectKind(await fetchUrl(`${server.url}/feed`, local), 'ok');
    expect(ok).toMatchObject({
      status: 200,
      url: `${server.url}/feed`,
      text: RSS,
      charset: 'utf-8',
      etag: '"v1"',
      lastModified: 'Sat, 01 Aug 2026 10:00:00 GMT',
      contentType: 'application/rss+xml; charset=utf-8',
      bytes: Buffer.byteLength(RSS),
    });
    const sent = server.requests[0]!.headers;
    expect(sent['user-agent']).toBe('RefoulementWatch/0.1 (+https://github.com/refoulement-watch/refoulement-watch)');
    expect(sent['accept-encoding']).toBe('gzip, deflate, br');
    expect(sent['if-none-match']).toBeUndefined();
  });

  it('sends validators, maps 304 to not-modified, then sees the changed feed', async () => {
    let version = 1;
    server.route('/feed', (req, res) => {
      const etag = `"v${version}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { etag, 'content-type': 'application/rss+xml' }).end(RSS.replace('UN News', `UN News v${version}`));
    });
    const first = expectKind(await fetchUrl(`${server.url}/feed`, { ...local, userAgent: 'TestBot/9 (+https://example.org)' }), 'ok');
    expect(first.etag).toBe('"v1"');
    const second = await fetchUrl(`${server.url}/feed`, { ...local, etag: '"v1"', lastModified: 'Sat, 01 Aug 2026 10:00:00 GMT' });
    expect(second).toEqual({
      kind: 'not-modified',
      url: `${server.url}/feed`,
      etag: '"v1"',
      lastModified: 'Sat, 01 Aug 2026 10:00:00 GMT',
    });
    expect(server.requests[0]!.headers['user-agent']).toBe('TestBot/9 (+https://example.org)');
    expect(server.requests[1]!.headers).toMatchObject({ 'if-none-match': '"v1"', 'if-modified-since': 'Sat, 01 Aug 2026 10:00:00 GMT' });
    version = 2;
    const third = expectKind(
      await fetchUrl(`${server.url}/feed`, { ...local, etag: '"v1"', lastModified: 'Sat, 01 Aug 2026 10:00:00 GMT' }),
      'ok',
    );
    expect(third.etag).toBe('"v2"');
    expect(third.lastModified).toBeUndefined(); // a 200 without Last-Modified drops the old one
    expect(third.text).toContain('UN News v2');
  });

  it('turns Retry-After on 429 and 503 into retryAfterMs', async () => {
    server.route('/limited', { status: 429, headers: { 'retry-after': '120' }, body: 'slow down' });
    server.route('/down', { status: 503, headers: { 'retry-after': 'Sat, 01 Aug 2026 12:05:00 GMT' } });
    const limited = expectKind(await fetchUrl(`${server.url}/limited`, local), 'error');
    expect(limited).toMatchObject({ code: 'http-status', status: 429, retryAfterMs: 120_000 });
    expect(limited.message).toContain(`${server.url}/limited`);
    const now = () => Date.parse('2026-08-01T12:00:00Z');
    expect(await fetchUrl(`${server.url}/down`, { ...local, now })).toMatchObject({ kind: 'error', status: 503, retryAfterMs: 300_000 });
  });

  it('reports other statuses with the URL and a hint', async () => {
    const gone = expectKind(await fetchUrl(`${server.url}/missing`, local), 'error');
    expect(gone).toMatchObject({ code: 'http-status', status: 404, url: `${server.url}/missing` });
    expect(gone.message).toMatch(/check the URL/);
    expect(gone.retryAfterMs).toBeUndefined();
  });

  it('rejects bad URLs without a request', async () => {
    expect(await fetchUrl('not a url', local)).toMatchObject({ kind: 'error', code: 'bad-url' });
    expect(await fetchUrl('ftp://feeds.example/rss', local)).toMatchObject({ kind: 'error', code: 'bad-url' });
    expect(await fetchUrl(`${server.url}/feed`, { ...local, allowAddresses: ['10.0.0.300'] })).toMatchObject({
      kind: 'error',
      code: 'bad-url',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('reports a connection reset as a network error', async () => {
    server.route('/reset', reset({ headers: { 'content-type': 'text/xml' } }));
    expect(await fetchUrl(`${server.url}/reset`, local)).toMatchObject({ kind: 'error', code: 'network' });
  });
});

describe('fetchUrl: charsets over HTTP', () => {
  const title = (t: string, enc?: string): string =>
    `<?xml version="1.0"${enc ? ` encoding="${enc}"` : ''}?><rss><channel><item><title>${t}</title></item></channel></rss>`;
  const cases: Array<[name: string, body: Buffer, contentType: string, expected: string, charset: string]> = [
    ['EUC-KR header', iconv.encode(title('탈북민 강제북송'), 'euc-kr'), 'text/xml; charset=EUC-KR', '탈북민 강제북송', 'euc-kr'],
    ['Shift_JIS prolog', iconv.encode(title('強制送還', 'Shift_JIS'), 'shiftjis'), 'application/rss+xml', '強制送還', 'shift_jis'],
    ['GBK header', iconv.encode(title('强制遣返'), 'gbk'), 'text/xml; charset=gb2312', '强制遣返', 'gbk'],
    ['Big5 prolog', iconv.encode(title('強制遣返', 'big5'), 'big5'), 'text/xml', '強制遣返', 'big5'],
    ['windows-1251', iconv.encode(title('Репатриация', 'windows-1251'), 'win1251'), 'text/xml', 'Репатриация', 'windows-1251'],
    ['ISO-8859-2', iconv.encode(title('uchodźców', 'ISO-8859-2'), 'iso-8859-2'), 'text/xml', 'uchodźców', 'iso-8859-2'],
    ['UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(title('북송'))]), 'text/xml', '북송', 'utf-8'],
    [
      'UTF-16LE BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(title('북송', 'UTF-16'), 'utf-16le')]),
      'text/xml',
      '북송',
      'utf-16le',
    ],
    ['header utf-8 ≠ prolog EUC-KR', iconv.encode(title('강제송환', 'EUC-KR'), 'euc-kr'), 'text/xml; charset=utf-8', '강제송환', 'euc-kr'],
  ];
  it.each(cases)('%s', async (_name, body, contentType, expected, charset) => {
    server.route('/feed', { headers: { 'content-type': contentType }, body });
    const ok = expectKind(await fetchUrl(`${server.url}/feed`, local), 'ok');
    expect(ok.charset).toBe(charset);
    expect(ok.text).toContain(`<title>${expected}</title>`);
    expect(ok.text).not.toContain('\uFFFD');
    expect(ok.text.startsWith('<?xml')).toBe(true);
  });
});

describe('fetchUrl: compression and size caps', () => {
  it.each([
    ['gzip', gzipSync(RSS)],
    ['deflate', deflateSync(RSS)],
    ['br', brotliCompressSync(RSS)],
  ] as const)('decodes %s bodies', async (encoding, body) => {
    server.route('/feed', { headers: { 'content-encoding': encoding, 'content-type': 'text/xml' }, body });
    const ok = expectKind(await fetchUrl(`${server.url}/feed`, local), 'ok');
    expect(ok.text).toBe(RSS);
    expect(ok.bytes).toBe(Buffer.byteLength(RSS));
  });

  it('refuses a body whose Content-Length is over the cap without reading it', async () => {
    const big = repeatBody(Buffer.alloc(64 * 1024, 97), 800, { headers: { 'content-length': 800 * 64 * 1024 } });
    server.route('/big', big);
    expect(await fetchUrl(`${server.url}/big`, local)).toMatchObject({ kind: 'error', code: 'too-large' });
    expect(big.stats.completed).toBe(false);
  });

  it('stops a 50 MB body without Content-Length at 5 MiB', async () => {
    const big = repeatBody(Buffer.alloc(64 * 1024, 97), 800);
    server.route('/big', big);
    const err = expectKind(await fetchUrl(`${server.url}/big`, local), 'error');
    expect(err.code).toBe('too-large');
    expect(err.message).toMatch(/fetch\.maxBytes/);
    expect(big.stats.completed).toBe(false);
    expect(big.stats.bytesWritten).toBeLessThan(20 * 1024 * 1024);
  });

  it('stops a gzip bomb (16 GiB inflated) early with bounded memory', async () => {
    const member = gzipSync(Buffer.alloc(1 << 20)); // ~1 KB that inflates to 1 MiB
    // 16 Ki members: ~16 MB on the wire, too much to vanish into socket buffers.
    const bomb = repeatBody(member, 16 * 1024, { headers: { 'content-encoding': 'gzip', 'content-type': 'application/rss+xml' } });
    server.route('/bomb', bomb);
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    const result = await fetchUrl(`${server.url}/bomb`, local);
    expect(result).toMatchObject({ kind: 'error', code: 'too-large' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(bomb.stats.completed).toBe(false);
    expect(bomb.stats.bytesWritten).toBeLessThan(8 * 1024 * 1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('accepts a body right at a small cap and refuses one byte more', async () => {
    server.route('/ten', { body: '0123456789' });
    expect(await fetchUrl(`${server.url}/ten`, { ...local, maxBytes: 10 })).toMatchObject({ kind: 'ok', text: '0123456789' });
    expect(await fetchUrl(`${server.url}/ten`, { ...local, maxBytes: 9 })).toMatchObject({ kind: 'error', code: 'too-large' });
  });
});

describe('fetchUrl: timeouts', () => {
  it('aborts a slow-loris body at the total timeout and frees the connection', async () => {
    let closedAt = 0;
    const slow = drip('<rss>'.padEnd(1000, ' '), { intervalMs: 100, headers: { 'content-type': 'text/xml' } });
    server.route('/slow', (req, res) => {
      res.on('close', () => (closedAt = Date.now()));
      return slow(req, res);
    });
    const started = Date.now();
    const err = expectKind(await fetchUrl(`${server.url}/slow`, { ...local, timeoutMs: 600 }), 'error');
    const elapsed = Date.now() - started;
    expect(err.code).toBe('timeout');
    expect(err.message).toContain('600 ms');
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(2000);
    await new Promise((r) => setTimeout(r, 200));
    expect(closedAt).toBeGreaterThan(0); // the server saw the socket go: no stuck slot
  });

  it('times out a server that never sends headers', async () => {
    server.route('/stall', stall());
    const started = Date.now();
    expect(await fetchUrl(`${server.url}/stall`, { ...local, timeoutMs: 400 })).toMatchObject({ kind: 'error', code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('counts the timeout across redirect hops, not per hop', async () => {
    server.route('/hop', (_req, res) => setTimeout(() => res.writeHead(302, { location: '/hop2' }).end(), 250));
    server.route('/hop2', (_req, res) => setTimeout(() => res.writeHead(302, { location: '/hop3' }).end(), 250));
    server.route('/hop3', (_req, res) => setTimeout(() => res.end(RSS), 250));
    expect(await fetchUrl(`${server.url}/hop`, { ...local, timeoutMs: 600 })).toMatchObject({ kind: 'error', code: 'timeout' });
  });

  it('reports a caller abort as a cancelled network error', async () => {
    server.route('/stall', stall());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = expectKind(await fetchUrl(`${server.url}/stall`, { ...local, signal: controller.signal }), 'error');
    expect(err.code).toBe('network');
    expect(err.message).toMatch(/cancelled/);
  });
});
