/**
 * A local stand-in for Discord's REST API (channel messages; plus, via discord-gateway.ts, gateway
 * discovery, commands and interaction responses), strict on purpose:
 * it enforces the documented message limits, rejects any create/edit whose allowed_mentions.parse
 * is not [] (Discord would accept it and ping), honours nonce + enforce_nonce, requires a
 * `DiscordBot (…)` User-Agent, and keeps a ledger of accepted messages. Faults are scripted per channel.
 * Opt-in per-channel rate-limit buckets (`buckets`, `setBucket`) answer `X-RateLimit-*` on every
 * channel-message response and 429 + `Retry-After` once a bucket is exhausted, as Discord does.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDiscordAppRouter, type DiscordAppRoutes } from './discord-gateway.js';

/** A scripted failure for the next request(s) to a channel. */
export type DiscordFault =
  | { kind: 'rate-limit'; retryAfterSec: number; global?: boolean }
  | { kind: 'status'; status: number; code?: number; message?: string }
  | { kind: 'accept-then-reset' }
  | { kind: 'accept-then-stall'; ms: number };

/** One accepted message. */
export interface DiscordLedgerEntry {
  channel: string;
  id: string;
  nonce?: string;
  payload: Record<string, unknown>;
  edits: Record<string, unknown>[];
  createdAt: number;
}

/** One request as the fake saw it (no credentials). */
export interface DiscordRequestRecord {
  method: string;
  path: string;
  channel?: string;
  status: number | 'reset' | 'stall';
  userAgent: string | undefined;
  at: number;
  /** With buckets on: which reset window of the channel's bucket the request fell in (0, 1, …). */
  window?: number;
}

/** A channel's rate-limit bucket: `limit` requests per `resetAfterSec` window. */
export interface DiscordBucketOptions {
  limit: number;
  resetAfterSec: number;
}

/** A running fake. */
export interface FakeDiscord {
  /** REST base for `api:` / DISCORD_API_URL, e.g. http://127.0.0.1:1234/api */
  readonly apiUrl: string;
  readonly token: string;
  /** Accepted messages, in creation order. */
  readonly ledger: readonly DiscordLedgerEntry[];
  readonly requests: readonly DiscordRequestRecord[];
  /** Scripts `fault` for the next `times` requests to `channel`. */
  fail(channel: string, fault: DiscordFault, times?: number): void;
  /**
   * Sets `channel`'s bucket now: `remaining` requests left until it resets in `resetAfterSec`, then
   * `limit` (default: the `buckets` option's, else 5) per window. Turns buckets on for that channel.
   */
  setBucket(channel: string, state: { remaining: number; resetAfterSec: number; limit?: number }): void;
  /** Gateway discovery, command registrations, interaction callbacks and webhooks (see discord-gateway.ts). */
  readonly app: DiscordAppRoutes;
  close(): Promise<void>;
}

/** Options for startFakeDiscord. */
export interface FakeDiscordOptions {
  token?: string;
  /** How long a nonce is remembered ("the past few minutes"). @defaultValue 5 minutes */
  nonceWindowMs?: number;
  /** What `GET /gateway/bot` returns (a fake gateway's `ws://` URL). */
  gatewayUrl?: string;
  /** @defaultValue '300000000000000001' */
  applicationId?: string;
  /** Per-channel buckets for every channel (off by default: no X-RateLimit-* headers, no 429s of its own). */
  buckets?: DiscordBucketOptions;
}

/** Discord shares one bucket hash across channels and splits buckets by the channel id (major parameter). */
const MESSAGES_BUCKET_HASH = 'fakechannelmessages';

interface BucketState {
  limit: number;
  windowMs: number;
  remaining: number;
  resetAt: number;
  window: number;
}

/** Ledger entries in one channel. */
export function discordMessagesIn(fake: FakeDiscord, channel: string): DiscordLedgerEntry[] {
  return fake.ledger.filter((entry) => entry.channel === channel);
}

/** The payload a message shows now (its last edit, else the create). */
export function discordCurrentPayload(entry: DiscordLedgerEntry): Record<string, unknown> {
  return entry.edits.at(-1) ?? entry.payload;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type Json = Record<string, unknown>;

function checkText(problems: string[], path: string, value: unknown, max: number, required = false): number {
  if (value === undefined || value === null) {
    if (required) problems.push(`${path}: required`);
    return 0;
  }
  if (typeof value !== 'string') {
    problems.push(`${path}: must be a string`);
    return 0;
  }
  if (required && value.trim().length === 0) problems.push(`${path}: must not be empty`);
  if (value.length > max) problems.push(`${path}: ${value.length} > ${max}`);
  if (LONE_SURROGATE.test(value)) problems.push(`${path}: invalid UTF-16 (lone surrogate)`);
  return value.length;
}

function checkUrl(problems: string[], path: string, value: unknown): void {
  if (value === undefined) return;
  try {
    const url = new URL(String(value));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`${path}: not http(s)`);
  } catch {
    problems.push(`${path}: Not a well formed URL`);
  }
}

/** Discord's message limits (resources/message) and component limits; returns the problems found. */
export function validateDiscordMessage(body: Json, create: boolean): string[] {
  const problems: string[] = [];
  const mentions = body.allowed_mentions as { parse?: unknown } | undefined;
  if (!mentions || !Array.isArray(mentions.parse) || mentions.parse.length !== 0) {
    problems.push('allowed_mentions.parse must be [] (fake is stricter than Discord: feed text must never ping)');
  }
  checkText(problems, 'content', body.content, 2000);
  const embeds = (body.embeds ?? []) as Json[];
  if (!Array.isArray(embeds) || embeds.length > 10) problems.push('embeds: at most 10');
  let total = 0;
  (Array.isArray(embeds) ? embeds : []).forEach((embed, i) => {
    total += checkText(problems, `embeds[${i}].title`, embed.title, 256);
    total += checkText(problems, `embeds[${i}].description`, embed.description, 4096);
    total += checkText(problems, `embeds[${i}].footer.text`, (embed.footer as Json | undefined)?.text, 2048);
    total += checkText(problems, `embeds[${i}].author.name`, (embed.author as Json | undefined)?.name, 256);
    checkUrl(problems, `embeds[${i}].url`, embed.url);
    const fields = (embed.fields ?? []) as Json[];
    if (fields.length > 25) problems.push(`embeds[${i}].fields: ${fields.length} > 25`);
    fields.forEach((field, j) => {
      total += checkText(problems, `embeds[${i}].fields[${j}].name`, field.name, 256, true);
      total += checkText(problems, `embeds[${i}].fields[${j}].value`, field.value, 1024, true);
    });
  });
  if (total > 6000) problems.push(`embeds: total ${total} > 6000`);
  const rows = (body.components ?? []) as Json[];
  if (rows.length > 5) problems.push('components: at most 5 rows');
  rows.forEach((row, i) => {
    const items = (row.components ?? []) as Json[];
    if (items.length > 5) problems.push(`components[${i}]: at most 5 buttons`);
    items.forEach((item, j) => {
      checkText(problems, `components[${i}].components[${j}].custom_id`, item.custom_id, 100, true);
      checkText(problems, `components[${i}].components[${j}].label`, item.label, 80);
    });
  });
  if (create) {
    if (!body.content && embeds.length === 0 && rows.length === 0) problems.push('Cannot send an empty message');
    const nonce = body.nonce;
    if (nonce !== undefined && !(typeof nonce === 'number' || (typeof nonce === 'string' && nonce.length <= 25))) {
      problems.push('nonce: must be an integer or a string of at most 25 characters');
    }
  }
  return problems;
}

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const token = options.token ?? 'fake-discord-bot-token.abcdefghijklmnopqrstuvwxyz';
  const nonceWindowMs = options.nonceWindowMs ?? 5 * 60_000;
  const ledger: DiscordLedgerEntry[] = [];
  const requests: DiscordRequestRecord[] = [];
  const faults = new Map<string, DiscordFault[]>();
  const nonces = new Map<string, { entry: DiscordLedgerEntry; at: number }>();
  const timers = new Set<NodeJS.Timeout>();
  const buckets = new Map<string, BucketState>();
  let nextId = 1_200_000_000_000_000_000n;
  const applicationId = options.applicationId ?? '300000000000000001';
  const app = createDiscordAppRouter({
    applicationId,
    botUser: { id: applicationId, username: 'refwatch-test' },
    gatewayUrl: options.gatewayUrl,
    validate: validateDiscordMessage,
    editMessage(channel, messageId, body) {
      const entry = ledger.find((e) => e.channel === channel && e.id === messageId);
      entry?.edits.push({ ...discordCurrentPayload(entry), ...body });
      return entry !== undefined;
    },
  });

  const toMessage = (entry: DiscordLedgerEntry): Json => ({
    id: entry.id,
    channel_id: entry.channel,
    type: 0,
    ...discordCurrentPayload(entry),
    ...(entry.nonce !== undefined ? { nonce: entry.nonce } : {}),
  });

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  async function readJson(req: IncomingMessage): Promise<Json | undefined> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      return typeof parsed === 'object' && parsed !== null ? (parsed as Json) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Spends one request of `channel`'s bucket; undefined when buckets are off for it. */
  function takeFromBucket(channel: string): { allowed: boolean; window: number; headers: Record<string, string> } | undefined {
    const now = Date.now();
    let bucket = buckets.get(channel);
    if (!bucket) {
      if (!options.buckets) return undefined;
      const windowMs = options.buckets.resetAfterSec * 1000;
      bucket = { limit: options.buckets.limit, windowMs, remaining: options.buckets.limit, resetAt: now + windowMs, window: 0 };
      buckets.set(channel, bucket);
    }
    if (now >= bucket.resetAt) {
      bucket.remaining = bucket.limit;
      bucket.resetAt = now + bucket.windowMs;
      bucket.window += 1;
    }
    const allowed = bucket.remaining > 0;
    if (allowed) bucket.remaining -= 1;
    const resetAfter = (bucket.resetAt - now) / 1000;
    return {
      allowed,
      window: bucket.window,
      headers: {
        'x-ratelimit-limit': String(bucket.limit),
        'x-ratelimit-remaining': String(bucket.remaining),
        'x-ratelimit-reset': (bucket.resetAt / 1000).toFixed(3),
        'x-ratelimit-reset-after': resetAfter.toFixed(3),
        'x-ratelimit-bucket': MESSAGES_BUCKET_HASH,
        ...(allowed ? {} : { 'retry-after': String(Math.max(1, Math.ceil(resetAfter))), 'x-ratelimit-scope': 'user' }),
      },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const match = /^\/api\/v10\/channels\/(\d+)\/messages(?:\/(\d+))?$/.exec(path);
    const record: DiscordRequestRecord = { method, path, status: 0, userAgent: req.headers['user-agent'], at: Date.now() };
    if (match?.[1]) record.channel = match[1];
    requests.push(record);
    let bucketHeaders: Record<string, string> = {};
    const reply = (status: number, body: unknown, headers?: Record<string, string>): void => {
      record.status = status;
      send(res, status, body, { ...bucketHeaders, ...headers });
    };

    if (!/^DiscordBot \(.+\)/.test(req.headers['user-agent'] ?? '')) {
      return reply(400, { message: 'fake: User-Agent must look like "DiscordBot ($url, $version)"', code: 0 });
    }
    if (!match) {
      const body = await readJson(req);
      if (!body) return reply(400, { message: '400: Bad Request (invalid JSON)', code: 50109 });
      const answer = app.handle(method, path, body, req.headers.authorization === `Bot ${token}`);
      if (answer?.status === 204) {
        record.status = 204;
        res.writeHead(204).end();
        return;
      }
      if (answer) return reply(answer.status, answer.body ?? {});
    }
    if (req.headers.authorization !== `Bot ${token}`) return reply(401, { message: '401: Unauthorized', code: 0 });
    if (!match?.[1]) return reply(404, { message: '404: Not Found', code: 0 });
    const channel = match[1];
    const messageId = match[2];

    const bucket = takeFromBucket(channel);
    if (bucket) {
      bucketHeaders = bucket.headers;
      record.window = bucket.window;
      if (!bucket.allowed) {
        const retryAfter = Number(bucket.headers['x-ratelimit-reset-after']);
        return reply(429, { message: 'You are being rate limited.', retry_after: retryAfter, global: false });
      }
    }

    const queue = faults.get(channel) ?? [];
    const fault = queue.shift();
    if (fault?.kind === 'rate-limit') {
      const seconds = String(fault.retryAfterSec);
      return reply(
        429,
        { message: 'You are being rate limited.', retry_after: fault.retryAfterSec, global: fault.global ?? false },
        {
          'retry-after': seconds,
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': seconds,
          'x-ratelimit-bucket': `fake-${channel}`,
          'x-ratelimit-scope': fault.global ? 'global' : 'user',
          ...(fault.global ? { 'x-ratelimit-global': 'true' } : {}),
        },
      );
    }
    if (fault?.kind === 'status') {
      const defaults: Record<number, [number, string]> = {
        401: [0, '401: Unauthorized'],
        403: [50013, 'Missing Permissions'],
        404: [10003, 'Unknown Channel'],
      };
      const [code, message] = defaults[fault.status] ?? [0, fault.status >= 500 ? 'Internal Server Error' : 'Bad Request'];
      if (fault.status >= 500) {
        record.status = fault.status;
        res.writeHead(fault.status, { 'content-type': 'text/plain', ...bucketHeaders });
        res.end(message);
        return;
      }
      return reply(fault.status, { message: fault.message ?? message, code: fault.code ?? code });
    }

    const body = await readJson(req);
    if (!body) return reply(400, { message: '400: Bad Request (invalid JSON)', code: 50109 });
    let result: { status: number; body: Json };
    if (method === 'POST' && !messageId) {
      const problems = validateDiscordMessage(body, true);
      if (problems.length > 0) return reply(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
      const nonce = body.nonce === undefined ? undefined : String(body.nonce);
      const key = nonce !== undefined ? `${channel}\u0000${nonce}` : undefined;
      const previous = key ? nonces.get(key) : undefined;
      if (previous && body.enforce_nonce === true && Date.now() - previous.at <= nonceWindowMs) {
        result = { status: 200, body: toMessage(previous.entry) };
      } else {
        const payload = { ...body };
        delete payload.nonce;
        delete payload.enforce_nonce;
        const entry: DiscordLedgerEntry = { channel, id: String(nextId++), payload, edits: [], createdAt: Date.now() };
        if (nonce !== undefined) entry.nonce = nonce;
        ledger.push(entry);
        if (key) nonces.set(key, { entry, at: Date.now() });
        result = { status: 200, body: toMessage(entry) };
      }
    } else if (method === 'PATCH' && messageId) {
      const entry = ledger.find((e) => e.channel === channel && e.id === messageId);
      if (!entry) return reply(404, { message: 'Unknown Message', code: 10008 });
      const problems = validateDiscordMessage(body, false);
      if (problems.length > 0) return reply(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
      entry.edits.push({ ...entry.payload, ...body });
      result = { status: 200, body: toMessage(entry) };
    } else {
      return reply(405, { message: '405: Method Not Allowed', code: 0 });
    }

    if (fault?.kind === 'accept-then-reset') {
      record.status = 'reset';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'accept-then-stall') {
      record.status = 'stall';
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) send(res, result.status, result.body, bucketHeaders);
      }, fault.ms);
      timers.add(timer);
      return;
    }
    reply(result.status, result.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: `fake crashed: ${String(error)}`, code: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    token,
    ledger,
    requests,
    app,
    fail(channel, fault, times = 1) {
      const queue = faults.get(channel) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(fault);
      faults.set(channel, queue);
    },
    setBucket(channel, state) {
      const limit = state.limit ?? options.buckets?.limit ?? 5;
      const windowMs = state.resetAfterSec * 1000;
      const previous = buckets.get(channel);
      buckets.set(channel, {
        limit,
        windowMs,
        remaining: state.remaining,
        resetAt: Date.now() + windowMs,
        window: previous ? previous.window + 1 : 0,
      });
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
