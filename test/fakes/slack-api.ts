/**
 * A local stand-in for Slack's Web API (chat.postMessage, chat.update, conversations.history, and
 * apps.connections.open once a Socket Mode fake is attached with `useSocketMode`).
 * It enforces the Block Kit limits (≤50 blocks, section text ≤3000, header ≤150, ~12k total),
 * rejects raw `<!…>` / `<@…>` in mrkdwn and fallback text (stricter than Slack: feed text must be
 * escaped), keeps a ledger with message metadata, and can be scripted with faults per channel.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A scripted failure for the next request(s) naming a channel. */
export type SlackFault =
  | { kind: 'rate-limit'; retryAfterSec: number }
  | { kind: 'http'; status: number }
  | { kind: 'error'; error: string }
  | { kind: 'accept-then-reset' }
  | { kind: 'accept-then-stall'; ms: number };

/** One accepted message. */
export interface SlackLedgerEntry {
  channel: string;
  ts: string;
  payload: Record<string, unknown>;
  metadata?: { event_type: string; event_payload?: Record<string, unknown> };
  edits: Record<string, unknown>[];
}

/** One request as the fake saw it (no credentials). */
export interface SlackRequestRecord {
  method: string;
  channel?: string;
  outcome: string;
  at: number;
}

/** A running fake. */
export interface FakeSlack {
  /** Base for `slackApiUrl` / SLACK_API_URL, e.g. http://127.0.0.1:1234/api/ */
  readonly apiUrl: string;
  readonly token: string;
  /** The app-level token (`xapp-…`) apps.connections.open accepts. */
  readonly appToken: string;
  readonly ledger: readonly SlackLedgerEntry[];
  readonly requests: readonly SlackRequestRecord[];
  fail(channel: string, fault: SlackFault, times?: number): void;
  /** Serves apps.connections.open with `issueUrl()` (e.g. `FakeSlackSocket.issueUrl`, one ticket per call). */
  useSocketMode(issueUrl: () => string): void;
  close(): Promise<void>;
}

/** Ledger entries in one channel. */
export function slackMessagesIn(fake: FakeSlack, channel: string): SlackLedgerEntry[] {
  return fake.ledger.filter((entry) => entry.channel === channel);
}

/** The payload a message shows now (its last edit, else the post). */
export function slackCurrentPayload(entry: SlackLedgerEntry): Record<string, unknown> {
  return entry.edits.at(-1) ?? entry.payload;
}

type Json = Record<string, unknown>;

const RAW_MENTION = /<[!@#]/;

function jsonField(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Block Kit checks; returns a Slack-style error code or undefined when the message is acceptable. */
export function validateSlackMessage(body: Json): string | undefined {
  const text = body.text;
  const blocks = jsonField(body.blocks);
  if (typeof text !== 'string' || text.length === 0) return 'no_text'; // stricter: we always send a fallback
  if (RAW_MENTION.test(text)) return 'raw_mention_in_text';
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks) || blocks.length > 50) return 'invalid_blocks';
  let total = text.length;
  for (const block of blocks as Json[]) {
    const texts: Json[] = [];
    if (block.text) texts.push(block.text as Json);
    if (Array.isArray(block.elements)) {
      for (const element of block.elements as Json[]) texts.push((element.type === 'button' ? element.text : element) as Json);
    }
    for (const t of texts) {
      const value = typeof t.text === 'string' ? t.text : '';
      total += value.length;
      if (block.type === 'section' && value.length > 3000) return 'invalid_blocks';
      if (block.type === 'header' && (value.length > 150 || t.type !== 'plain_text')) return 'invalid_blocks';
      if (t.type === 'mrkdwn' && RAW_MENTION.test(value)) return 'raw_mention_in_blocks';
    }
    if (block.type === 'actions') {
      for (const element of (block.elements ?? []) as Json[]) {
        if (typeof element.action_id !== 'string' || element.action_id.length > 255) return 'invalid_blocks';
        if (typeof element.value === 'string' && element.value.length > 2000) return 'invalid_blocks';
      }
    }
  }
  // Slack's undocumented ceiling sits near 13k characters (bolt-js#2509); be stricter.
  return total > 12_000 ? 'msg_blocks_too_long' : undefined;
}

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startFakeSlack(options: { token?: string; appToken?: string } = {}): Promise<FakeSlack> {
  const token = options.token ?? 'xoxb-0000000000-fake-slack-bot-token';
  const appToken = options.appToken ?? 'xapp-1-A0APP0001-0000000000-fake-slack-app-token';
  let issueSocketUrl: (() => string) | undefined;
  const ledger: SlackLedgerEntry[] = [];
  const requests: SlackRequestRecord[] = [];
  const faults = new Map<string, SlackFault[]>();
  const timers = new Set<NodeJS.Timeout>();
  let counter = 0;

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  async function readBody(req: IncomingMessage): Promise<Json> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(raw || '{}') as Json;
    return Object.fromEntries(new URLSearchParams(raw));
  }

  function handleMethod(method: string, body: Json): Json {
    const channel = String(body.channel ?? '');
    if (method === 'chat.postMessage') {
      const invalid = validateSlackMessage(body);
      if (invalid) return { ok: false, error: invalid };
      counter += 1;
      const ts = `${Math.floor(Date.now() / 1000)}.${String(counter).padStart(6, '0')}`;
      const payload: Json = { ...body, blocks: jsonField(body.blocks) };
      delete payload.metadata;
      const metadata = jsonField(body.metadata) as SlackLedgerEntry['metadata'];
      const entry: SlackLedgerEntry = { channel, ts, payload, edits: [] };
      if (metadata && typeof metadata === 'object') entry.metadata = metadata;
      ledger.push(entry);
      return { ok: true, channel, ts, message: { ts, text: body.text } };
    }
    if (method === 'chat.update') {
      const entry = ledger.find((e) => e.channel === channel && e.ts === body.ts);
      if (!entry) return { ok: false, error: 'message_not_found' };
      const invalid = validateSlackMessage(body);
      if (invalid) return { ok: false, error: invalid };
      entry.edits.push({ ...body, blocks: jsonField(body.blocks) });
      return { ok: true, channel, ts: entry.ts };
    }
    if (method === 'conversations.history') {
      const limit = Number(body.limit ?? 100);
      const withMetadata = body.include_all_metadata === true || body.include_all_metadata === 'true';
      const messages = ledger
        .filter((e) => e.channel === channel)
        .reverse()
        .slice(0, limit)
        .map((e) => ({
          type: 'message',
          ts: e.ts,
          text: slackCurrentPayload(e).text,
          ...(withMetadata && e.metadata ? { metadata: e.metadata } : {}),
        }));
      return { ok: true, messages, has_more: false };
    }
    return { ok: false, error: 'unknown_method' };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = /^\/api\/([\w.]+)$/.exec(new URL(req.url ?? '/', 'http://fake').pathname)?.[1] ?? '';
    const body = await readBody(req);
    const record: SlackRequestRecord = { method, outcome: '', at: Date.now() };
    if (typeof body.channel === 'string') record.channel = body.channel;
    requests.push(record);
    const reply = (status: number, payload: Json, headers?: Record<string, string>): void => {
      record.outcome = payload.ok === true ? 'ok' : String(payload.error ?? status);
      send(res, status, payload, headers);
    };
    if (method === 'apps.connections.open') {
      // Slack wants the app-level token here and refuses a bot token by its type.
      if (req.headers.authorization === `Bearer ${token}`) return reply(200, { ok: false, error: 'not_allowed_token_type' });
      if (req.headers.authorization !== `Bearer ${appToken}`) return reply(200, { ok: false, error: 'invalid_auth' });
      if (!issueSocketUrl) return reply(200, { ok: false, error: 'fake_socket_mode_not_attached' });
      return reply(200, { ok: true, url: issueSocketUrl() });
    }
    if (req.headers.authorization !== `Bearer ${token}`) return reply(200, { ok: false, error: 'invalid_auth' });

    const fault = record.channel ? faults.get(record.channel)?.shift() : undefined;
    if (fault?.kind === 'rate-limit')
      return reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfterSec) });
    if (fault?.kind === 'http') {
      record.outcome = String(fault.status);
      res.writeHead(fault.status, { 'content-type': 'text/plain' });
      res.end('upstream error');
      return;
    }
    if (fault?.kind === 'error') return reply(200, { ok: false, error: fault.error });

    const result = handleMethod(method, body);
    if (fault?.kind === 'accept-then-reset') {
      record.outcome = 'reset';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'accept-then-stall') {
      record.outcome = 'stall';
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) send(res, 200, result);
      }, fault.ms);
      timers.add(timer);
      return;
    }
    reply(200, result);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: `fake_crashed: ${String(error)}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    token,
    appToken,
    ledger,
    requests,
    fail(channel, fault, times = 1) {
      const queue = faults.get(channel) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(fault);
      faults.set(channel, queue);
    },
    useSocketMode(issueUrl) {
      issueSocketUrl = issueUrl;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
