import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_FEEDS, renderDemoFeed } from './sample-feeds.js';

export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the demo feeds on 127.0.0.1; their content grows with the time since start. */
export async function startDemoServer(now: () => number = Date.now): Promise<DemoServer> {
  const startedAt = now();
  const server = http.createServer((req, res) => {
    const feed = DEMO_FEEDS.find((f) => f.path === req.url);
    if (!feed) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const body = renderDemoFeed(feed, (now() - startedAt) / 1000);
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
