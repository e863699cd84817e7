/**
 * A local HTTP server on 127.0.0.1 for feed-fetching tests: routes can change while it
 * runs (feeds that change between polls), and handlers can stall, drip bytes or reset.
 * Every request is recorded. Tests reach it with `allowPrivateNetworks: true`, or with a
 * fake DNS `lookup` plus `allowAddresses: ['127.0.0.1']`.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A route handler with full control of the response. */
export type FeedHandler = (req: IncomingMessage, res: ServerResponse) => unknown; // a returned promise is awaited

/** A canned response. */
export interface FeedResponse {
  status?: number;
  headers?: Record<string, string | number | string[]>;
  body?: string | Uint8Array;
}

export interface RecordedRequest {
  /** Path and query as requested. */
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  /** Date.now() when it arrived. */
  at: number;
}

export interface FeedServer {
  /** Base URL without trailing slash, e.g. "http://127.0.0.1:43121". */
  url: string;
  port: number;
  /** Sets (or replaces) what `path` answers; exact path+query wins over pathname. */
  route(path: string, response: FeedHandler | FeedResponse): void;
  requests: RecordedRequest[];
  /** Closes the server and destroys open connections (stalled handlers included). */
  close(): Promise<void>;
}

function send(res: ServerResponse, response: FeedResponse): void {
  const body = response.body ?? '';
  res.writeHead(response.status ?? 200, response.headers ?? {});
  res.end(typeof body === 'string' ? body : Buffer.from(body));
}

/** Starts a feed server on 127.0.0.1 with an OS-assigned port. */
export async function createFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, FeedHandler | FeedResponse>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, method: req.method ?? 'GET', headers: req.headers, at: Date.now() });
    const pathname = new URL(path, 'http://x').pathname;
    const response = routes.get(path) ?? routes.get(pathname);
    if (response === undefined) {
      send(res, { status: 404, headers: { 'content-type': 'text/plain' }, body: `no route for ${path}` });
      return;
    }
    if (typeof response !== 'function') {
      send(res, response);
      return;
    }
    Promise.resolve(response(req, res)).catch((err: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: String(err) });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    route: (path, response) => {
      routes.set(path, response);
    },
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Never answers; the connection stays open until the client gives up. */
export function stall(): FeedHandler {
  return () => {};
}

/** Sends headers, then resets the TCP connection (RST) without a body. */
export function reset(response: Omit<FeedResponse, 'body'> = {}): FeedHandler {
  return (req, res) => {
    res.writeHead(response.status ?? 200, response.headers ?? {});
    res.flushHeaders();
    // Give the headers a moment to leave before the reset.
    setTimeout(() => req.socket.resetAndDestroy(), 20);
  };
}

/** Writes `body` `bytesPerTick` bytes at a time every `intervalMs` (slow-loris). */
export function drip(
  body: string | Uint8Array,
  options: { intervalMs: number; bytesPerTick?: number } & Omit<FeedResponse, 'body'>,
): FeedHandler {
  const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  const step = options.bytesPerTick ?? 1;
  return (_req, res) => {
    res.writeHead(options.status ?? 200, options.headers ?? {});
    res.flushHeaders();
    let offset = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      res.write(bytes.subarray(offset, offset + step));
      offset += step;
      if (offset >= bytes.length) {
        clearInterval(timer);
        res.end();
      }
    }, options.intervalMs);
    res.on('close', () => clearInterval(timer));
  };
}

/** A handler that streams `chunk` `times` times, honouring backpressure. */
export type RepeatHandler = FeedHandler & {
  /** Bytes handed to the socket so far, and whether the whole body was sent. */
  readonly stats: { bytesWritten: number; completed: boolean };
};

/**
 * Streams `chunk` repeated `times` times (e.g. a 50 MB body, or a gzip member repeated
 * into a bomb) without holding it in memory; stops when the client disconnects.
 */
export function repeatBody(chunk: Uint8Array, times: number, response: Omit<FeedResponse, 'body'> = {}): RepeatHandler {
  const stats = { bytesWritten: 0, completed: false };
  const handler: FeedHandler = (_req, res) => {
    res.writeHead(response.status ?? 200, response.headers ?? {});
    let sent = 0;
    const pump = (): void => {
      while (sent < times && !res.destroyed) {
        sent++;
        stats.bytesWritten += chunk.byteLength;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (sent >= times && !res.destroyed) {
        stats.completed = true;
        res.end();
      }
    };
    pump();
  };
  return Object.assign(handler, { stats });
}
