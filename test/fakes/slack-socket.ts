/**
 * A local stand-in for Slack's Socket Mode WebSocket endpoint, enough for @slack/socket-mode (and
 * so bolt's SocketModeReceiver) to connect: single-use tickets issued through `apps.connections.open`
 * (see `FakeSlack.useSocketMode`), `hello` on connect, envelopes the test pushes, acks recorded with
 * times, `disconnect` to exercise reconnects. Pings from the client are answered by `ws` itself
 * (auto-pong) and counted here.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

type Json = Record<string, unknown>;

/** An envelope the fake sent. */
export interface SocketEnvelopeSent {
  envelopeId: string;
  type: string;
  at: number;
}

/** An ack (`{"envelope_id": …}`) the client sent back. */
export interface SocketAck {
  envelopeId: string;
  /** The optional response payload (bolt sends `{}` for a plain `ack()`). */
  payload: unknown;
  at: number;
}

/** A running fake Socket Mode endpoint. */
export interface FakeSlackSocket {
  /** Connections accepted so far (each with a fresh ticket). */
  readonly connections: number;
  /** Connections open now. */
  readonly open: number;
  readonly sent: readonly SocketEnvelopeSent[];
  readonly acks: readonly SocketAck[];
  /** Client pings received (each auto-answered with a pong). */
  readonly pings: number;
  /** Close codes clients sent when they hung up (1000 = clean shutdown). */
  readonly clientCloses: readonly number[];
  /** Upgrades refused (unknown or reused ticket). */
  readonly refused: number;
  /** A new single-use `ws://127.0.0.1:<port>/link/?ticket=…` URL: what `apps.connections.open` returns. */
  issueUrl(): string;
  /** Sends an `interactive` envelope (block_actions etc.) to the newest open connection; returns its envelope id. */
  interactive(payload: Json): string;
  /** Sends a `slash_commands` envelope; returns its envelope id. */
  slashCommand(payload: Json): string;
  /** Resolves with the ack for `envelopeId`; rejects after `timeoutMs`. */
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<SocketAck>;
  /** Resolves once `n` connections were accepted and the newest is open; rejects after `timeoutMs`. */
  waitForConnections(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves once no connection is open; rejects after `timeoutMs`. */
  waitForNoneOpen(timeoutMs?: number): Promise<void>;
  /** Asks every open client to reconnect, as Slack does before recycling a host. */
  disconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  close(): Promise<void>;
}

/** A slash-command payload as Socket Mode delivers it (a JSON object, not a form). */
export function slashCommandPayload(text: string, user: { id: string; name: string }, channelId: string, responseUrl: string): Json {
  return {
    token: 'legacy-verification-token',
    team_id: 'T0TEAM001',
    team_domain: 'example',
    channel_id: channelId,
    channel_name: 'triage',
    user_id: user.id,
    user_name: user.name,
    command: '/refwatch',
    text,
    api_app_id: 'A0APP0001',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: '1234.5678.abcd',
  };
}

/** Polls `done` every 10 ms; rejects with `what` after `timeoutMs`. */
async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`fake Slack socket: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startFakeSlackSocket(options: { appId?: string } = {}): Promise<FakeSlackSocket> {
  const appId = options.appId ?? 'A0APP0001';
  const tickets = new Set<string>();
  const sockets: WebSocket[] = [];
  const sent: SocketEnvelopeSent[] = [];
  const acks: SocketAck[] = [];
  const clientCloses: number[] = [];
  let connections = 0;
  let pings = 0;
  let refused = 0;
  let counter = 0;

  const server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('upgrade required');
  });
  const wss = new WebSocketServer({ noServer: true });

  // Slack's tickets are single use: a client that reuses a URL instead of calling apps.connections.open again is a bug.
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
      refused += 1;
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    connections += 1;
    sockets.push(ws);
    ws.on('ping', () => {
      pings += 1;
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Buffer.from(data).toString('utf8');
      try {
        const message = JSON.parse(text) as Json;
        if (typeof message.envelope_id === 'string')
          acks.push({ envelopeId: message.envelope_id, payload: message.payload, at: Date.now() });
      } catch {
        // A client sending non-JSON is a bug the test sees as a missing ack.
      }
    });
    ws.on('close', (code) => {
      clientCloses.push(code);
      sockets.splice(sockets.indexOf(ws), 1);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: sockets.length,
        debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: appId },
      }),
    );
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function push(type: string, payload: Json, acceptsResponsePayload: boolean): string {
    const ws = sockets.at(-1);
    if (!ws || ws.readyState !== ws.OPEN) throw new Error(`fake Slack socket: no open connection to send ${type} to`);
    counter += 1;
    const envelopeId = `env-${String(counter).padStart(4, '0')}-${randomBytes(4).toString('hex')}`;
    sent.push({ envelopeId, type, at: Date.now() });
    ws.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: acceptsResponsePayload }));
    return envelopeId;
  }

  return {
    get connections() {
      return connections;
    },
    get open() {
      return sockets.length;
    },
    sent,
    acks,
    get pings() {
      return pings;
    },
    clientCloses,
    get refused() {
      return refused;
    },
    issueUrl() {
      const ticket = randomBytes(12).toString('hex');
      tickets.add(ticket);
      return `ws://127.0.0.1:${port}/link/?ticket=${ticket}&app_id=${appId}`;
    },
    interactive: (payload) => push('interactive', payload, false),
    slashCommand: (payload) => push('slash_commands', payload, true),
    async waitForAck(envelopeId, timeoutMs = 5000) {
      await until(() => acks.some((a) => a.envelopeId === envelopeId), timeoutMs, `the ack of ${envelopeId}`);
      return acks.find((a) => a.envelopeId === envelopeId) as SocketAck;
    },
    async waitForConnections(n, timeoutMs = 5000) {
      await until(() => connections >= n && sockets.at(-1)?.readyState === 1, timeoutMs, `${n} connection(s)`);
    },
    async waitForNoneOpen(timeoutMs = 5000) {
      await until(() => sockets.length === 0, timeoutMs, 'every connection to close');
    },
    disconnect(reason = 'refresh_requested') {
      for (const ws of sockets) ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } }));
    },
    async close() {
      for (const ws of [...sockets]) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
