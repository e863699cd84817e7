/**
 * A local stand-in for Discord's gateway (API v10, JSON encoding, no compression), enough for a
 * real discord.js client to connect: HELLO, IDENTIFY → READY, heartbeat ACKs, RESUME, and
 * dispatches the test pushes. It is strict where a client bug would otherwise go unnoticed:
 * wrong token → close 4004, payload before IDENTIFY → 4003, second IDENTIFY → 4005,
 * unsupported version/encoding/compression → 4012/4002.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

type Json = Record<string, unknown>;

/** What the gateway saw a client IDENTIFY with (the token is not kept). */
export interface GatewayIdentify {
  intents: number;
  shard: unknown;
  compress: unknown;
  tokenMatched: boolean;
  at: number;
}

/** Options for startFakeDiscordGateway. */
export interface FakeGatewayOptions {
  /** The bot token IDENTIFY must carry (raw, without "Bot "). */
  token: string;
  applicationId: string;
  botUser?: { id: string; username: string };
  /** @defaultValue 41 250 (Discord's usual); tests lower it to see heartbeats. */
  heartbeatIntervalMs?: number;
  /** Accept connections but hold HELLO back until `release()` (a hung gateway). */
  silent?: boolean;
}

/** A running fake gateway. */
export interface FakeDiscordGateway {
  /** `ws://127.0.0.1:<port>`: what `GET /gateway/bot` returns as `url`. */
  readonly url: string;
  readonly identifies: readonly GatewayIdentify[];
  /** Heartbeats received (each answered with op 11). */
  readonly heartbeats: number;
  readonly resumes: number;
  /** Close codes the fake sent, with the reason. */
  readonly closes: readonly { code: number; reason: string }[];
  /** Close codes clients sent when they hung up (1000 = clean shutdown). */
  readonly clientCloses: readonly number[];
  /** Resolves once a session is READY. Rejects after `timeoutMs`. */
  waitForReady(timeoutMs?: number): Promise<void>;
  /** Sends `t` to every READY session; returns how many sessions got it. */
  dispatch(t: string, d: unknown): number;
  /** Ends `silent`: sends the held-back HELLO to every connection and to later ones. */
  release(): void;
  close(): Promise<void>;
}

interface Session {
  socket: WebSocket;
  id?: string;
  seq: number;
  closedByServer?: boolean;
}

const HELLO = 10;
const HEARTBEAT = 1;
const HEARTBEAT_ACK = 11;
const IDENTIFY = 2;
const RESUME = 6;
const INVALID_SESSION = 9;
const DISPATCH = 0;

/** Starts the gateway on 127.0.0.1 with a random port. */
export async function startFakeDiscordGateway(options: FakeGatewayOptions): Promise<FakeDiscordGateway> {
  const heartbeatInterval = options.heartbeatIntervalMs ?? 41_250;
  const botUser = options.botUser ?? { id: options.applicationId, username: 'refwatch-test' };
  const identifies: GatewayIdentify[] = [];
  const closes: { code: number; reason: string }[] = [];
  const clientCloses: number[] = [];
  const sessions = new Set<Session>();
  // Sessions survive their socket, so a RESUME on a new connection can find them.
  const known = new Map<string, number>();
  let heartbeats = 0;
  let resumes = 0;
  let readyWaiters: Array<() => void> = [];
  let silent = options.silent ?? false;
  const hello = (session: Session): void => send(session, { op: HELLO, d: { heartbeat_interval: heartbeatInterval } });

  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const send = (session: Session, payload: Json): void => {
    session.socket.send(JSON.stringify(payload));
  };
  const closeWith = (session: Session, code: number, reason: string): void => {
    closes.push({ code, reason });
    session.closedByServer = true;
    session.socket.close(code, reason);
  };
  const dispatchTo = (session: Session, t: string, d: unknown): void => {
    session.seq += 1;
    if (session.id) known.set(session.id, session.seq);
    send(session, { op: DISPATCH, t, s: session.seq, d });
  };

  function onMessage(session: Session, raw: string): void {
    let payload: Json;
    try {
      payload = JSON.parse(raw) as Json;
    } catch {
      return closeWith(session, 4002, 'Error while decoding payload.');
    }
    const d = (payload.d ?? {}) as Json;
    switch (payload.op) {
      case HEARTBEAT:
        heartbeats += 1;
        return send(session, { op: HEARTBEAT_ACK });
      case IDENTIFY: {
        if (session.id) return closeWith(session, 4005, 'Already authenticated.');
        const tokenMatched = d.token === options.token;
        identifies.push({ intents: Number(d.intents), shard: d.shard, compress: d.compress, tokenMatched, at: Date.now() });
        if (!tokenMatched) return closeWith(session, 4004, 'Authentication failed.');
        if (typeof d.intents !== 'number') return closeWith(session, 4013, 'Invalid intent(s).');
        session.id = randomBytes(16).toString('hex');
        dispatchTo(session, 'READY', {
          v: 10,
          user: { ...botUser, discriminator: '0', global_name: null, avatar: null, bot: true, verified: true, flags: 0 },
          guilds: [],
          session_id: session.id,
          resume_gateway_url: url,
          shard: Array.isArray(d.shard) ? d.shard : [0, 1],
          application: { id: options.applicationId, flags: 0 },
        });
        for (const wake of readyWaiters) wake();
        readyWaiters = [];
        return;
      }
      case RESUME: {
        const seq = typeof d.session_id === 'string' ? known.get(d.session_id) : undefined;
        if (d.token !== options.token || seq === undefined) {
          return send(session, { op: INVALID_SESSION, d: false });
        }
        resumes += 1;
        session.id = d.session_id as string;
        session.seq = seq;
        return dispatchTo(session, 'RESUMED', {});
      }
      default:
        if (!session.id) return closeWith(session, 4003, 'Not authenticated.');
    }
  }

  server.on('connection', (socket, req) => {
    const session: Session = { socket, seq: 0 };
    const query = new URL(req.url ?? '/', url).searchParams;
    if (query.get('v') !== '10') return closeWith(session, 4012, 'Invalid API version.');
    if (query.get('encoding') !== 'json' || query.has('compress'))
      return closeWith(session, 4002, 'Only uncompressed JSON is supported by the fake.');
    sessions.add(session);
    socket.on('message', (data) => onMessage(session, String(data)));
    socket.on('close', (code) => {
      sessions.delete(session);
      if (!session.closedByServer) clientCloses.push(code);
    });
    if (!silent) hello(session);
  });

  return {
    url,
    identifies,
    get heartbeats() {
      return heartbeats;
    },
    get resumes() {
      return resumes;
    },
    closes,
    clientCloses,
    waitForReady(timeoutMs = 5000) {
      if ([...sessions].some((s) => s.id)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake gateway: no READY session within ${timeoutMs} ms`)), timeoutMs);
        readyWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    dispatch(t, d) {
      let count = 0;
      for (const session of sessions) {
        if (!session.id) continue;
        dispatchTo(session, t, d);
        count += 1;
      }
      return count;
    },
    release() {
      if (!silent) return;
      silent = false;
      for (const session of sessions) hello(session);
    },
    async close() {
      for (const session of sessions) session.socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// REST routes a gateway bot uses beyond channel messages (served by startFakeDiscord).

/** A registered command set (PUT bulk overwrite). */
export interface CommandRegistration {
  scope: 'global' | { guildId: string };
  commands: Json[];
  at: number;
}

/** An interaction callback as the fake accepted or refused it. */
export interface InteractionCallbackRecord {
  interactionId: string;
  type: number;
  data?: Json;
  status: number;
  /** Milliseconds since the interaction was dispatched. */
  afterMs: number;
}

/** A follow-up (POST) or an edit (PATCH) on an interaction's webhook. */
export interface InteractionWebhookRecord {
  method: 'POST' | 'PATCH';
  interactionId: string;
  /** `@original` or a follow-up message id; absent for a new follow-up. */
  messageId?: string;
  body: Json;
  status: number;
}

/** Interaction-side state of the fake REST API. */
export interface DiscordAppRoutes {
  readonly applicationId: string;
  readonly registrations: readonly CommandRegistration[];
  readonly callbacks: readonly InteractionCallbackRecord[];
  readonly webhooks: readonly InteractionWebhookRecord[];
  /** Makes an interaction known (as dispatching it does on Discord); its token works for 15 minutes, its callback for 3 s. */
  expectInteraction(interaction: { id: string; token: string; message?: { id: string; channel_id: string } }): void;
}

/** What a route answered; undefined when the path is not one of these routes. */
export type RouteAnswer = { status: number; body?: unknown } | undefined;

/** Route handler plus state; `authorized` tells whether the request carried the bot token. */
export interface DiscordAppRouter extends DiscordAppRoutes {
  handle(method: string, path: string, body: Json, authorized: boolean): RouteAnswer;
}

const CALLBACK_WINDOW_MS = 3000;
const TOKEN_LIFETIME_MS = 15 * 60_000;
const CALLBACK_TYPES = new Set([1, 4, 5, 6, 7, 8, 9, 10, 12]);
const COMMAND_NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

function commandProblems(command: Json, path: string, depth = 0): string[] {
  const problems: string[] = [];
  if (typeof command.name !== 'string' || !COMMAND_NAME.test(command.name))
    problems.push(`${path}.name: must be 1-32 lower-case characters`);
  const description = command.description;
  if (typeof description !== 'string' || description.length < 1 || description.length > 100)
    problems.push(`${path}.description: 1-100 characters`);
  const options = (command.options ?? []) as Json[];
  if (options.length > 25) problems.push(`${path}.options: at most 25`);
  options.forEach((option, i) => {
    const nested = option.type === 1 || option.type === 2;
    if (nested && depth >= 2) problems.push(`${path}.options[${i}]: sub-commands nest at most two levels`);
    problems.push(...commandProblems(option, `${path}.options[${i}]`, nested ? depth + 1 : 3));
  });
  return problems;
}

/**
 * Gateway discovery, identity, command registration, interaction callbacks and interaction
 * webhooks. Callbacks and webhooks need no bot token (Discord authenticates them by the
 * interaction token); the rest do. `validate` is the fake's message validator.
 */
export function createDiscordAppRouter(options: {
  applicationId: string;
  botUser: { id: string; username: string };
  gatewayUrl: string | undefined;
  validate(body: Json, create: boolean): string[];
  /** Applies an edit of the message a component sat on (type 6/7, then PATCH @original). */
  editMessage(channel: string, messageId: string, body: Json): boolean;
}): DiscordAppRouter {
  const appId = options.applicationId;
  const registrations: CommandRegistration[] = [];
  const callbacks: InteractionCallbackRecord[] = [];
  const webhooks: InteractionWebhookRecord[] = [];
  const interactions = new Map<
    string,
    { id: string; token: string; at: number; acked?: number; message?: { id: string; channel_id: string } }
  >();
  const byToken = (token: string) => [...interactions.values()].find((i) => i.token === token);
  const unauthorized = { status: 401, body: { message: '401: Unauthorized', code: 0 } };
  const invalid = (problems: string[]) => ({ status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: problems } });
  let nextId = 1_300_000_000_000_000_000n;

  function callback(interactionId: string, token: string, body: Json): RouteAnswer {
    const interaction = interactions.get(interactionId);
    const type = Number(body.type);
    const data = body.data as Json | undefined;
    const record: InteractionCallbackRecord = {
      interactionId,
      type,
      ...(data ? { data } : {}),
      status: 0,
      afterMs: interaction ? Date.now() - interaction.at : -1,
    };
    callbacks.push(record);
    const answer = (status: number, out?: unknown): RouteAnswer => {
      record.status = status;
      return { status, body: out };
    };
    if (!interaction || interaction.token !== token || record.afterMs > CALLBACK_WINDOW_MS)
      return answer(404, { message: 'Unknown interaction', code: 10062 });
    if (interaction.acked !== undefined) return answer(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
    if (!CALLBACK_TYPES.has(type))
      return answer(400, { message: 'Invalid Form Body', code: 50035, errors: [`type: ${String(body.type)} is not a callback type`] });
    if ((type === 4 || type === 7) && data) {
      const problems = options.validate(data, type === 4);
      if (problems.length > 0) return answer(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
    }
    interaction.acked = type;
    if (type === 7 && data && interaction.message) options.editMessage(interaction.message.channel_id, interaction.message.id, data);
    return answer(204);
  }

  function webhook(method: string, token: string, messageId: string | undefined, body: Json): RouteAnswer {
    const interaction = byToken(token);
    const live = interaction && interaction.acked !== undefined && Date.now() - interaction.at <= TOKEN_LIFETIME_MS;
    const record: InteractionWebhookRecord = {
      method: method as 'POST' | 'PATCH',
      interactionId: interaction?.id ?? '?',
      body,
      status: 0,
      ...(messageId ? { messageId } : {}),
    };
    const answer = (status: number, out?: unknown): RouteAnswer => {
      record.status = status;
      return { status, body: out };
    };
    if (method !== 'POST' && method !== 'PATCH') return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
    webhooks.push(record);
    if (!interaction || !live) return answer(404, { message: 'Unknown Webhook', code: 10015 });
    if ((method === 'POST') !== (messageId === undefined)) return answer(405, { message: '405: Method Not Allowed', code: 0 });
    const problems = options.validate(body, method === 'POST');
    if (problems.length > 0) return answer(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
    // After a deferred update (6) or an update (7), @original is the message holding the component.
    const onComponentMessage = messageId === '@original' && (interaction.acked === 6 || interaction.acked === 7) && interaction.message;
    if (onComponentMessage) options.editMessage(interaction.message!.channel_id, interaction.message!.id, body);
    const id = messageId && messageId !== '@original' ? messageId : onComponentMessage ? interaction.message!.id : String(nextId++);
    return answer(200, {
      id,
      channel_id: interaction.message?.channel_id ?? '0',
      type: 0,
      webhook_id: appId,
      application_id: appId,
      ...body,
    });
  }

  return {
    applicationId: appId,
    registrations,
    callbacks,
    webhooks,
    expectInteraction(interaction) {
      interactions.set(interaction.id, {
        id: interaction.id,
        token: interaction.token,
        at: Date.now(),
        ...(interaction.message ? { message: interaction.message } : {}),
      });
    },
    handle(method, path, body, authorized) {
      const cb = /^\/api\/v10\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
      if (cb?.[1] && cb[2])
        return method === 'POST'
          ? callback(cb[1], decodeURIComponent(cb[2]), body)
          : { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
      const hook = /^\/api\/v10\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(path);
      if (hook?.[1] && hook[2]) {
        if (hook[1] !== appId) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
        return webhook(method, decodeURIComponent(hook[2]), hook[3] === undefined ? undefined : decodeURIComponent(hook[3]), body);
      }
      const gateway = /^\/api\/v10\/gateway(\/bot)?$/.exec(path);
      if (gateway && method === 'GET') {
        if (gateway[1] && !authorized) return unauthorized;
        if (!options.gatewayUrl)
          return { status: 503, body: { message: 'fake: no gateway configured (startFakeDiscord({ gatewayUrl }))', code: 0 } };
        if (!gateway[1]) return { status: 200, body: { url: options.gatewayUrl } };
        return {
          status: 200,
          body: {
            url: options.gatewayUrl,
            shards: 1,
            session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
          },
        };
      }
      if (!authorized)
        return path.startsWith('/api/v10/users/') || path.startsWith('/api/v10/applications/') || path.startsWith('/api/v10/oauth2/')
          ? unauthorized
          : undefined;
      if (method === 'GET' && path === '/api/v10/users/@me') {
        return { status: 200, body: { ...options.botUser, discriminator: '0', global_name: null, avatar: null, bot: true } };
      }
      if (method === 'GET' && (path === '/api/v10/oauth2/applications/@me' || path === '/api/v10/applications/@me')) {
        return {
          status: 200,
          body: { id: appId, name: options.botUser.username, bot_public: false, bot_require_code_grant: false, flags: 0 },
        };
      }
      const commands = /^\/api\/v10\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
      if (commands && method === 'PUT') {
        if (commands[1] !== appId) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
        if (!Array.isArray(body)) return invalid(['body: must be an array of commands']);
        const list = body as unknown as Json[];
        const problems = list.flatMap((command, i) => commandProblems(command, `[${i}]`));
        if (problems.length > 0) return invalid(problems);
        registrations.push({ scope: commands[2] ? { guildId: commands[2] } : 'global', commands: list, at: Date.now() });
        return { status: 200, body: list.map((command) => ({ ...command, id: String(nextId++), application_id: appId, version: '1' })) };
      }
      return undefined;
    },
  };
}
