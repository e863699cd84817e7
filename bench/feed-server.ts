/**
 * One node:http server for the pipeline benchmark, serving `feeds` RSS feeds of
 * `itemsPerFeed` items each at `/feed/<n>.xml`, with ETag / If-None-Match (304) support.
 *
 * It runs in a child process (see {@link startFeedProcess}) so that its CPU and memory are not
 * counted against the bot, as real feed servers would not be; the parent adds items over IPC.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { forkChild, serveRequests } from './child.js';
import { baseItem, renderRss, type FeedItem } from './corpus.js';

/** What the server has answered so far. */
export interface FeedServerStats {
  requests: number;
  ok: number;
  notModified: number;
  notFound: number;
  /** Bytes of feed XML sent in 200 responses. */
  bytes: number;
  /** Resident set size of the server's process, MB. */
  rssMb: number;
}

/** Shape and contents of the served feeds. */
export interface FeedServerOptions {
  feeds: number;
  itemsPerFeed: number;
  /** Base time for the baseline items' dates (ms). */
  epoch: number;
}

interface FeedState {
  version: number;
  /** Items added while running, newest first; they push baseline items out of the feed. */
  added: FeedItem[];
}

/** The server plus the operations the benchmark drives. */
export interface FeedServer {
  server: Server;
  /** Prepends `item` to feed `feed` (new ETag); returns when it became visible (ms). */
  add(feed: number, item: FeedItem): number;
  stats(): FeedServerStats;
}

const FEED_PATH = /^\/feed\/(\d+)\.xml$/;

/** Creates (does not start) the feed server. */
export function createFeedServer(options: FeedServerOptions): FeedServer {
  const feeds = new Map<number, FeedState>();
  const stats: FeedServerStats = { requests: 0, ok: 0, notModified: 0, notFound: 0, bytes: 0, rssMb: 0 };
  const stateOf = (feed: number): FeedState => {
    let state = feeds.get(feed);
    if (!state) {
      state = { version: 1, added: [] };
      feeds.set(feed, state);
    }
    return state;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    stats.requests++;
    const match = FEED_PATH.exec(req.url ?? '');
    const feed = match ? Number(match[1]) : -1;
    if (!match || feed >= options.feeds) {
      stats.notFound++;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such feed');
      return;
    }
    const state = stateOf(feed);
    const etag = `"f${feed}-v${state.version}"`;
    if (req.headers['if-none-match'] === etag) {
      stats.notModified++;
      res.writeHead(304, { etag }).end();
      return;
    }
    const items = [...state.added];
    for (let k = 0; items.length < options.itemsPerFeed; k++) items.push(baseItem(feed, k, options.epoch));
    const body = Buffer.from(renderRss(feed, items.slice(0, options.itemsPerFeed)), 'utf8');
    stats.ok++;
    stats.bytes += body.length;
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'content-length': body.length, etag });
    res.end(body);
  };

  return {
    server: createServer(handle),
    add(feed, item) {
      const state = stateOf(feed);
      state.added.unshift(item);
      state.added.length = Math.min(state.added.length, options.itemsPerFeed);
      state.version++;
      return Date.now();
    },
    stats: () => ({ ...stats, rssMb: Math.round(process.memoryUsage().rss / 1e5) / 10 }),
  };
}

/** What the server process answers (see {@link startFeedProcess}). */
type FeedOps = {
  add(args: { feed: number; item: FeedItem }): number;
  stats(): FeedServerStats;
};

/** The parent's handle on the server process. */
export interface FeedProcess {
  /** e.g. "http://127.0.0.1:41234" */
  url: string;
  /** Adds an item to a feed; resolves with the time (ms) it became visible. */
  add(feed: number, item: FeedItem): Promise<number>;
  stats(): Promise<FeedServerStats>;
  close(): Promise<void>;
}

/** Forks this file as the feed server (through tsx) and waits until it listens on 127.0.0.1. */
export async function startFeedProcess(options: FeedServerOptions): Promise<FeedProcess> {
  const child = await forkChild<FeedOps, { port: number }>(fileURLToPath(import.meta.url), {
    name: 'feed server',
    execArgv: ['--import', 'tsx'],
    args: [JSON.stringify(options)],
  });
  return {
    url: `http://127.0.0.1:${child.ready.port}`,
    add: (feed, item) => child.call('add', { feed, item }),
    stats: () => child.call('stats'),
    close: () => child.close(),
  };
}

function runChild(): void {
  const options = JSON.parse(process.argv[2] ?? '{}') as FeedServerOptions;
  const feeds = createFeedServer(options);
  // Loopback only: the benchmark never exposes a server beyond this machine.
  feeds.server.listen(0, '127.0.0.1', () => {
    const ops: FeedOps = { add: ({ feed, item }) => feeds.add(feed, item), stats: () => feeds.stats() };
    serveRequests(ops, { port: (feeds.server.address() as AddressInfo).port });
  });
}

if (process.send && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runChild();
