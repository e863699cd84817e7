/**
 * One node:http server for the pipeline benchmark, serving `feeds` RSS feeds of
 * `itemsPerFeed` items each at `/feed/<n>.xml`, with ETag / If-None-Match (304) support.
 *
 * It runs in a child process (see {@link startFeedProcess}) so that its CPU and memory are not
 * counted against the bot, as real feed servers would not be; the parent adds items over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/** Messages between the benchmark and the server process. */
type Request = { op: 'add'; feed: number; item: FeedItem } | { op: 'stats' };
type ToServer = Request & { id: number };
type FromServer = { op: 'ready'; port: number } | { id: number; at: number } | { id: number; stats: FeedServerStats };

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
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (message: FromServer) => void>();
  let nextId = 1;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('feed server process did not start within 30 s')), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`feed server process exited early (code ${String(code)})`)));
    child.on('message', (message: FromServer) => {
      if ('op' in message) {
        clearTimeout(timer);
        resolve(message.port);
      } else pending.get(message.id)?.(message);
    });
  });
  child.removeAllListeners('exit');
  const call = (message: Request): Promise<FromServer> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, (reply) => {
        pending.delete(id);
        resolve(reply);
      });
      child.send({ ...message, id });
    });
  return {
    url: `http://127.0.0.1:${port}`,
    add: async (feed, item) => {
      const reply = await call({ op: 'add', feed, item });
      return 'at' in reply ? reply.at : Date.now();
    },
    stats: async () => {
      const reply = await call({ op: 'stats' });
      if (!('stats' in reply)) throw new Error('feed server answered a stats request with something else');
      return reply.stats;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function runChild(): void {
  const options = JSON.parse(process.argv[2] ?? '{}') as FeedServerOptions;
  const feeds = createFeedServer(options);
  // Loopback only: the benchmark never exposes a server beyond this machine.
  feeds.server.listen(0, '127.0.0.1', () => {
    process.send?.({ op: 'ready', port: (feeds.server.address() as AddressInfo).port } satisfies FromServer);
  });
  process.on('message', (message: ToServer) => {
    if (message.op === 'add') process.send?.({ id: message.id, at: feeds.add(message.feed, message.item) } satisfies FromServer);
    else process.send?.({ id: message.id, stats: feeds.stats() } satisfies FromServer);
  });
  // The parent going away (crash, Ctrl-C) must not leave the server running.
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}

if (process.send && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runChild();
