// Keep-alive in fetchUrl: one shared agent per fetch policy and DNS function. A local
// server on 127.0.0.1 counts the TCP connections it accepts, so socket reuse (and its
// absence across policies) is observed from the server's side.
import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  closeFetchAgents,
  DEFAULT_FETCH_OPTIONS,
  fetchUrl,
  type FetchOptions,
  type LookupFunction,
} from '../../../src/sources/fetch/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface CountingServer {
  port: number;
  url: string;
  /** TCP connections accepted so far, and how many of them have closed. */
  connections: number;
  closed: number;
  /** Remote ports of the requests, in order: the same port means the same socket. */
  requestPorts: number[];
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

async function createCountingServer(): Promise<CountingServer> {
  const routes = new Map<string, Handler>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    state.requestPorts.push(req.socket.remotePort ?? 0);
    const handler = routes.get(req.url ?? '/');
    if (handler) handler(req, res);
    else res.writeHead(404).end('no route');
  });
  server.on('connection', (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => {
      state.closed++;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const state: CountingServer = {
    port,
    url: `http://127.0.0.1:${port}`,
    connections: 0,
    closed: 0,
    requestPorts: [],
    route: (path, handler) => void routes.set(path, handler),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}

const RSS = '<rss version="2.0"><channel><title>t</title></channel></rss>';
const feed: Handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(RSS);

/** Fake DNS answering from a function of the call number. */
function fakeDns(answer: (call: number) => string): LookupFunction & { calls: () => number } {
  let calls = 0;
  const fn: LookupFunction = (_hostname, options, callback) => {
    const address = answer(++calls);
    const family = address.includes(':') ? 6 : 4;
    if (options.all) callback(null, [{ address, family } satisfies LookupAddress]);
    else callback(null, address, family);
  };
  return Object.assign(fn, { calls: () => calls });
}

const strict: FetchOptions = { ...DEFAULT_FETCH_OPTIONS, timeoutMs: 3000 };
const local: FetchOptions = { ...strict, allowPrivateNetworks: true };
const settle = (ms = 100): Promise<void> => new Promise((r) => setTimeout(r, ms));
/**
 * undici hands a finished keep-alive socket back to the pool one event-loop turn after
 * the response (so a server closing it right away is noticed first); a request in that
 * same turn opens another socket. Polls are never that close, so tests wait one turn.
 */
const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

let server: CountingServer;
beforeEach(async () => {
  server = await createCountingServer();
  server.route('/feed', feed);
});
afterEach(async () => {
  await closeFetchAgents({ graceMs: 100 });
  await server.close();
});

describe('fetchUrl: keep-alive within one policy', () => {
  it('serves two sequential fetches of one origin over one connection', async () => {
    expect(await fetchUrl(`${server.url}/feed`, local)).toMatchObject({ kind: 'ok', text: RSS });
    await nextTurn();
    expect(await fetchUrl(`${server.url}/feed`, local)).toMatchObject({ kind: 'ok', text: RSS });
    expect(server.requestPorts).toHaveLength(2);
    expect(server.connections).toBe(1);
    expect(new Set(server.requestPorts).size).toBe(1);
  });

  it('keeps the connection through 304s, error statuses and redirects', async () => {
    server.route('/old', (_req, res) => res.writeHead(301, { location: '/feed' }).end('moved'));
    server.route('/gone', (_req, res) => res.writeHead(404).end('not here'));
    server.route('/cond', (req, res) => (req.headers['if-none-match'] === '"v1"' ? res.writeHead(304).end() : feed(req, res)));
    expect(await fetchUrl(`${server.url}/gone`, local)).toMatchObject({ kind: 'error', code: 'http-status', status: 404 });
    await nextTurn();
    expect(await fetchUrl(`${server.url}/cond`, { ...local, etag: '"v1"' })).toMatchObject({ kind: 'not-modified' });
    await nextTurn();
    expect(await fetchUrl(`${server.url}/feed`, local)).toMatchObject({ kind: 'ok' });
    expect(server.connections).toBe(1);
    // The hop after a redirect follows in the same turn (a second socket), but neither
    // socket is lost: the next fetch reuses one.
    await nextTurn();
    expect(await fetchUrl(`${server.url}/old`, local)).toMatchObject({ kind: 'ok', url: `${server.url}/feed` });
    const afterRedirect = server.connections;
    expect(afterRedirect).toBeLessThanOrEqual(2);
    await nextTurn();
    expect(await fetchUrl(`${server.url}/feed`, local)).toMatchObject({ kind: 'ok' });
    expect(server.requestPorts).toHaveLength(6);
    expect(server.connections).toBe(afterRedirect);
    expect(server.closed).toBe(0);
  });

  it('frees a reused connection on a slow-loris timeout, then opens a new one', async () => {
    server.route('/slow', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    expect(await fetchUrl(`${server.url}/feed`, local)).toMatchObject({ kind: 'ok' });
    await nextTurn();
    expect(await fetchUrl(`${server.url}/slow`, { ...local, timeoutMs: 300 })).toMatchObject({ kind: 'error', code: 'timeout' });
    await settle();
    expect(new Set(server.requestPorts).size).toBe(1); // the slow response came on the reused socket
    // The server saw that socket go: no stuck slot. (undici 7 may dial and drop one more
    // socket after an abort; none stays open.)
    expect(server.closed).toBeGreaterThanOrEqual(1);
    expect(server.closed).toBe(server.connections);
    const before = server.connections;
    expect(await fetchUrl(`${server.url}/feed`, local)).toMatchObject({ kind: 'ok' });
    expect(server.connections).toBe(before + 1);
  });

  it('keeps the time budget while waiting for a busy pool', async () => {
    server.route('/stall', () => {});
    // Fill every socket the pool may open to this origin, then ask once more.
    const stalled = Array.from({ length: 8 }, () => fetchUrl(`${server.url}/stall`, { ...local, timeoutMs: 1500 }));
    await settle(150);
    const started = Date.now();
    const late = await fetchUrl(`${server.url}/stall`, { ...local, timeoutMs: 300 });
    const elapsed = Date.now() - started;
    expect(late).toMatchObject({ kind: 'error', code: 'timeout' });
    expect(elapsed).toBeLessThan(1000);
    for (const result of await Promise.all(stalled)) expect(result).toMatchObject({ kind: 'error', code: 'timeout' });
  });

  it('closeFetchAgents closes idle connections; the next fetch opens a new one', async () => {
    expect(await fetchUrl(`${server.url}/feed`, local)).toMatchObject({ kind: 'ok' });
    await closeFetchAgents();
    await settle();
    expect(server.closed).toBe(1);
    expect(await fetchUrl(`${server.url}/feed`, local)).toMatchObject({ kind: 'ok' });
    expect(server.connections).toBe(2);
  });
});

describe('fetchUrl: connections are never shared across policies', () => {
  it('a private-allowed fetch does not lend its connection to a strict one', async () => {
    const lookup = fakeDns(() => '127.0.0.1');
    const url = `http://feeds.example:${server.port}/feed`;
    expect(await fetchUrl(url, { ...local, lookup })).toMatchObject({ kind: 'ok' });
    await nextTurn();
    const strictResult = await fetchUrl(url, { ...strict, lookup });
    expect(strictResult).toMatchObject({ kind: 'error', code: 'blocked' });
    expect(strictResult.kind === 'error' && strictResult.message).toContain('feeds.example resolves to 127.0.0.1');
    expect(lookup.calls()).toBe(2); // the strict fetch dialled (and checked) on its own
    expect(server.requestPorts).toHaveLength(1);
    expect(server.connections).toBe(1);
  });

  it('keys the pool by allowAddresses too', async () => {
    const lookup = fakeDns(() => '127.0.0.1');
    const url = `http://feeds.example:${server.port}/feed`;
    expect(await fetchUrl(url, { ...strict, lookup, allowAddresses: ['127.0.0.1'] })).toMatchObject({ kind: 'ok' });
    await nextTurn();
    expect(await fetchUrl(url, { ...local, lookup })).toMatchObject({ kind: 'ok' });
    await nextTurn();
    expect(await fetchUrl(url, { ...strict, lookup })).toMatchObject({ kind: 'error', code: 'blocked' });
    await nextTurn();
    // Each policy reuses its own socket.
    expect(await fetchUrl(url, { ...strict, lookup, allowAddresses: ['127.0.0.1'] })).toMatchObject({ kind: 'ok' });
    await nextTurn();
    expect(await fetchUrl(url, { ...local, lookup })).toMatchObject({ kind: 'ok' });
    expect(server.connections).toBe(2);
    expect(lookup.calls()).toBe(3);
  });

  it('keys the pool by the lookup function: another DNS view dials and is checked anew', async () => {
    const url = `http://feeds.example:${server.port}/feed`;
    const options = { ...strict, allowAddresses: ['127.0.0.1'] };
    expect(await fetchUrl(url, { ...options, lookup: fakeDns(() => '127.0.0.1') })).toMatchObject({ kind: 'ok' });
    await nextTurn();
    const other = await fetchUrl(url, { ...options, lookup: fakeDns(() => '10.0.0.5') });
    expect(other).toMatchObject({ kind: 'error', code: 'blocked' });
    expect(other.kind === 'error' && other.message).toContain('feeds.example resolves to 10.0.0.5');
    expect(server.connections).toBe(1);
  });

  it('re-checks DNS for every new connection of a shared agent (rebinding stays refused)', async () => {
    // The server closes after each response, so every fetch needs a new connection.
    server.route('/once', (_req, res) => res.writeHead(200, { connection: 'close' }).end(RSS));
    const lookup = fakeDns((call) => (call === 1 ? '127.0.0.1' : '127.0.0.2'));
    const url = `http://feeds.example:${server.port}/once`;
    const options = { ...strict, lookup, allowAddresses: ['127.0.0.1'] };
    expect(await fetchUrl(url, options)).toMatchObject({ kind: 'ok' });
    await settle(50);
    const second = await fetchUrl(url, options);
    expect(second).toMatchObject({ kind: 'error', code: 'blocked', url });
    expect(second.kind === 'error' && second.message).toContain('feeds.example resolves to 127.0.0.2');
    expect(lookup.calls()).toBe(2);
    expect(server.requestPorts).toHaveLength(1);
  });
});
