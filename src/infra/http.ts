import { createHash, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { createBullBoard } from '@bull-board/api';
import type { Queue } from 'bullmq';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { HealthReport } from './health.js';
import type { Metrics } from './metrics.js';

/** Where Bull Board is mounted. */
export const BULL_BOARD_PATH = '/admin/queues';

export interface HttpLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface HttpServerOptions {
  port: number;
  /** Default 0.0.0.0 so container health checks reach it; use 127.0.0.1 to keep it local. */
  host?: string;
  health: () => Promise<HealthReport>;
  metrics: Pick<Metrics, 'render' | 'contentType'>;
  /** Queues shown in Bull Board. */
  queues: readonly Queue[];
  /** Bull Board credentials; the board is off (and says so in the log) without a password. */
  admin?: { user: string; password: string | undefined };
  log?: HttpLog;
}

export interface HttpServer {
  port: number;
  close(): Promise<void>;
}

type BoardServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Compares secrets in constant time; hashing first makes the lengths equal. */
function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** Express middleware for HTTP basic auth against one user/password. */
export function basicAuth(user: string, password: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization ?? '';
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    // Evaluate both comparisons always, so timing does not reveal which part was wrong.
    const userOk = safeEqual(colon >= 0 ? decoded.slice(0, colon) : '', user);
    const passOk = safeEqual(colon >= 0 ? decoded.slice(colon + 1) : '', password);
    if (colon >= 0 && userOk && passOk) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Basic realm="Refoulement Watch admin", charset="UTF-8"');
    res.status(401).type('text/plain').send('Authentication required.\n');
  };
}

/**
 * Serves `GET /healthz` (200 or 503 with the failing checks), `GET /metrics` (Prometheus text)
 * and Bull Board under `/admin/queues` behind basic auth.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', async (_req, res) => {
    let report: HealthReport;
    try {
      report = await options.health();
    } catch (err) {
      report = { status: 'fail', checks: [{ name: 'health', ok: false, detail: err instanceof Error ? err.message : String(err) }] };
    }
    const failing = report.checks.filter((check) => !check.ok);
    res.status(report.status === 'ok' ? 200 : 503).json({ ...report, failing });
  });

  app.get('/metrics', async (_req, res) => {
    try {
      const body = await options.metrics.render();
      res.status(200).type(options.metrics.contentType).send(body);
    } catch (err) {
      options.log?.error({ err }, 'Rendering /metrics failed');
      res.status(500).type('text/plain').send('metrics unavailable\n');
    }
  });

  const password = options.admin?.password;
  if (password) {
    // Loaded only when the board is on: it is several MB the bot does not otherwise need.
    const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/express'),
    ]);
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(BULL_BOARD_PATH);
    createBullBoard({
      queues: options.queues.map((queue) => new BullMQAdapter(queue)),
      // @bull-board/express 9.10.1 nests its own @bull-board/api 9.10.1; the shapes match at
      // runtime but TypeScript sees two private `formatters` declarations.
      serverAdapter: serverAdapter as unknown as BoardServerAdapter,
      options: { uiConfig: { boardTitle: 'Refoulement Watch' } },
    });
    app.use(BULL_BOARD_PATH, basicAuth(options.admin?.user ?? 'admin', password), serverAdapter.getRouter());
  } else {
    options.log?.info({}, `Bull Board at ${BULL_BOARD_PATH} is disabled: set ADMIN_PASSWORD to enable it`);
  }

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port, options.host ?? '0.0.0.0', (err?: Error) => {
      if (err) reject(err);
      else resolve(listening);
    });
    listening.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets (Prometheus, browsers) would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
