// Redirects and the private-network guard (RELIABILITY.md rows 24 and 27). DNS is faked
// with an injected lookup; the only sockets opened go to the local feed server.
import type { LookupAddress } from 'node:dns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkUrlAddress,
  DEFAULT_FETCH_OPTIONS,
  fetchUrl,
  type FetchOptions,
  type LookupFunction,
} from '../../../src/sources/fetch/index.js';
import { createFeedServer, type FeedServer } from '../../fakes/feed-server.js';

let server: FeedServer;
beforeEach(async () => {
  server = await createFeedServer();
  server.route('/feed', { headers: { 'content-type': 'application/rss+xml' }, body: '<rss><channel/></rss>' });
});
afterEach(async () => {
  await server.close();
});

/** Fake DNS from a table (or a function of the call number); records every name asked. */
function fakeDns(answer: Record<string, string> | ((host: string, call: number) => string)): LookupFunction & { asked: string[] } {
  const asked: string[] = [];
  const fn: LookupFunction = (hostname, options, callback) => {
    asked.push(hostname);
    const address = typeof answer === 'function' ? answer(hostname, asked.length) : answer[hostname];
    if (address === undefined) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    const family = address.includes(':') ? 6 : 4;
    if (options.all) callback(null, [{ address, family } satisfies LookupAddress]);
    else callback(null, address, family);
  };
  return Object.assign(fn, { asked });
}

const strict: FetchOptions = { ...DEFAULT_FETCH_OPTIONS, timeoutMs: 3000 };
/** Reaches the local server as feeds.example while every other private address stays refused. */
function viaName(dns: Record<string, string>): FetchOptions {
  return { ...strict, lookup: fakeDns({ 'feeds.example': '127.0.0.1', ...dns }), allowAddresses: ['127.0.0.1'] };
}

describe('fetchUrl: redirects', () => {
  const local: FetchOptions = { ...strict, allowPrivateNetworks: true };

  it('follows a chain with relative and absolute Locations and reports the final URL', async () => {
    server.route('/old', { status: 301, headers: { location: '/older' } });
    server.route('/older', { status: 308, headers: { location: `${server.url}/feed` } });
    expect(await fetchUrl(`${server.url}/old`, local)).toMatchObject({ kind: 'ok', status: 200, url: `${server.url}/feed` });
    expect(server.requests.map((r) => r.path)).toEqual(['/old', '/older', '/feed']);
  });

  it('detects a redirect loop', async () => {
    server.route('/a', { status: 302, headers: { location: '/b' } });
    server.route('/b', { status: 302, headers: { location: '/a' } });
    const result = await fetchUrl(`${server.url}/a`, local);
    expect(result).toMatchObject({ kind: 'error', code: 'too-many-redirects' });
    expect(result.kind === 'error' && result.message).toMatch(/loop/);
    expect(server.requests).toHaveLength(2);
  });

  it('stops after maxRedirects hops', async () => {
    for (let i = 0; i < 10; i++) server.route(`/hop${i}`, { status: 302, headers: { location: `/hop${i + 1}` } });
    expect(await fetchUrl(`${server.url}/hop0`, local)).toMatchObject({ kind: 'error', code: 'too-many-redirects' });
    expect(server.requests).toHaveLength(6); // the first request plus 5 followed redirects
    expect(await fetchUrl(`${server.url}/hop5`, { ...local, maxRedirects: 2 })).toMatchObject({
      kind: 'error',
      code: 'too-many-redirects',
    });
  });

  it.each(['file:///etc/passwd', 'ftp://feeds.example/rss', 'gopher://127.0.0.1:70/'])('refuses a redirect to %s', async (to) => {
    server.route('/go', { status: 302, headers: { location: to } });
    expect(await fetchUrl(`${server.url}/go`, local)).toMatchObject({ kind: 'error', code: 'blocked', status: 302 });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a redirect without Location', async () => {
    server.route('/go', { status: 302 });
    expect(await fetchUrl(`${server.url}/go`, local)).toMatchObject({ kind: 'error', code: 'http-status', status: 302 });
  });
});

describe('fetchUrl: private-network guard', () => {
  it('refuses the loopback server itself by default, without a request', async () => {
    const result = await fetchUrl(`${server.url}/feed`, strict);
    expect(result).toMatchObject({ kind: 'error', code: 'blocked' });
    expect(result.kind === 'error' && result.message).toMatch(/127\.0\.0\.1.*allowPrivateNetworks: true/);
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    'http://localhost:PORT/feed',
    'http://localhost.:PORT/feed',
    'http://LocalHost:PORT/feed',
    'http://2130706433:PORT/feed',
    'http://0x7f000001:PORT/feed',
    'http://127.1:PORT/feed',
    'http://[::1]:PORT/feed',
    'http://[::ffff:7f00:1]:PORT/feed',
    'http://0.0.0.0:PORT/feed',
  ])('refuses %s before connecting', async (template) => {
    const url = template.replace('PORT', String(server.port));
    expect(await fetchUrl(url, strict)).toMatchObject({ kind: 'error', code: 'blocked' });
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    '127.0.0.1',
    '10.0.0.5',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::ffff:7f00:1',
    'fe80::1',
    'fc00::1',
    '2002:7f00:1::',
    '64:ff9b::7f00:1',
    '224.0.0.1',
  ])('refuses a name that resolves to %s, at connect time', async (ip) => {
    const lookup = fakeDns({ 'feeds.example': ip });
    const result = await fetchUrl(`http://feeds.example:${server.port}/feed`, { ...strict, lookup });
    expect(result).toMatchObject({ kind: 'error', code: 'blocked', url: `http://feeds.example:${server.port}/feed` });
    expect(result.kind === 'error' && result.message).toContain(`feeds.example resolves to ${ip}`);
    expect(lookup.asked).toContain('feeds.example');
    expect(server.requests).toHaveLength(0);
  });

  it('connects through the injected lookup when the address is allowed', async () => {
    const options = viaName({});
    expect(await fetchUrl(`http://feeds.example:${server.port}/feed`, options)).toMatchObject({ kind: 'ok', status: 200 });
    expect(server.requests[0]!.headers.host).toBe(`feeds.example:${server.port}`);
  });

  it.each([
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['an intranet name', 'http://intranet.example:PORT/feed'],
    ['localhost', 'http://localhost:PORT/feed'],
    ['a numeric host (10.0.0.5)', 'http://167772165:PORT/feed'],
    ['another loopback address', 'http://127.0.0.2:PORT/feed'],
  ])('refuses a redirect to %s', async (_name, template) => {
    server.route('/go', { status: 302, headers: { location: template.replace('PORT', String(server.port)) } });
    const result = await fetchUrl(`http://feeds.example:${server.port}/go`, viaName({ 'intranet.example': '10.0.0.5' }));
    expect(result).toMatchObject({ kind: 'error', code: 'blocked' });
    expect(result.kind === 'error' && result.message).toContain(`redirected from http://feeds.example:${server.port}/go`);
    expect(server.requests.map((r) => r.path)).toEqual(['/go']);
  });

  it('defeats DNS rebinding: a public answer at check time, loopback at connect time', async () => {
    const lookup = fakeDns((_host, call) => (call === 1 ? '93.184.216.34' : '127.0.0.1'));
    const url = `http://rebind.example:${server.port}/feed`;
    expect(await checkUrlAddress(url, { allowPrivateNetworks: false, lookup })).toBeUndefined();
    const result = await fetchUrl(url, { ...strict, lookup });
    expect(result).toMatchObject({ kind: 'error', code: 'blocked' });
    expect(result.kind === 'error' && result.message).toContain('rebind.example resolves to 127.0.0.1');
    expect(lookup.asked).toEqual(['rebind.example', 'rebind.example']);
    expect(server.requests).toHaveLength(0);
  });

  it('reports an unknown name as a network error', async () => {
    const result = await fetchUrl('http://nx.example/feed', { ...strict, lookup: fakeDns({}) });
    expect(result).toMatchObject({ kind: 'error', code: 'network' });
    expect(result.kind === 'error' && result.message).toMatch(/DNS/);
  });
});
