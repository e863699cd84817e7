/**
 * Slack triage adapter over @slack/bolt: the four alert buttons, the dismiss-reason select and the
 * `/refwatch` slash command. Socket Mode when an app token is given (no public URL), else HTTP with
 * request-signature verification. Every handler acks first, then works in the background.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type Logger } from '@slack/bolt';
import { LogLevel as WebLogLevel, WebClient } from '@slack/web-api';
import type { Config } from '../../config/index.js';
import { escapeSlack, formatSlackMessage } from '../../notify/index.js';
import type { Actor, TriageActionName } from '../core.js';
import { isModerator } from '../permissions.js';
import type { TriageService } from '../service.js';
import { decodeDismissBlockId, DISMISS_REASON_ACTION, dismissReasonMessage } from './blocks.js';
import { runRefwatchCommand } from './run-command.js';

/** Where the adapter logs (a pino Logger fits). */
export interface SlackTriageLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Options of {@link startSlackTriage}. */
export interface SlackTriageOptions {
  /** SLACK_BOT_TOKEN (`xoxb-…`). */
  botToken: string;
  /** SLACK_APP_TOKEN (`xapp-…`): selects Socket Mode. */
  appToken?: string;
  /** Slack app signing secret: selects HTTP mode when no app token is given. */
  signingSecret?: string;
  /** SLACK_API_URL: Web API base (tests point it at a fake). */
  apiUrl?: string;
  service: TriageService;
  moderators: Config['moderators'];
  log: SlackTriageLog;
  /** HTTP mode: port to listen on (0 = any). @defaultValue 3000 */
  port?: number;
  /** HTTP mode: interface to bind. @defaultValue '0.0.0.0' */
  host?: string;
  /** HTTP mode: Request URL path configured in the Slack app. @defaultValue '/slack/events' */
  path?: string;
  /** Clock for the request-timestamp check (tests). */
  now?: () => number;
}

/** A running adapter. */
export interface SlackTriage {
  readonly mode: 'socket' | 'http';
  /** HTTP mode: the bound address, e.g. http://127.0.0.1:3000/slack/events. */
  readonly url?: string;
  /** Resolves when every acked interaction has finished its work. */
  settle(): Promise<void>;
  /** Stops receiving, then waits for in-flight work. */
  stop(): Promise<void>;
}

/** Thrown when neither an app token nor a signing secret is configured. */
export class SlackTriageConfigError extends Error {
  override readonly name = 'SlackTriageConfigError';
}

/** Slack signs with a timestamp; bolt refuses old ones only, we refuse far-future ones too (replays with a forged clock). */
const MAX_SKEW_SEC = 300;

/** How long stop() waits for the Socket Mode close handshake before moving on. */
const SOCKET_CLOSE_WAIT_MS = 5000;

const TRIAGE_ACTION = /^rw_(confirm|dismiss|escalate|claim)$/;

function boltLogger(log: SlackTriageLog): Logger {
  let level = LogLevel.WARN;
  const join = (msgs: unknown[]): string => msgs.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...msgs: unknown[]) => log.warn({ component: 'slack-bolt' }, join(msgs)),
    error: (...msgs: unknown[]) => log.error({ component: 'slack-bolt' }, join(msgs)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

interface ActionBody {
  user: { id: string; name?: string; username?: string };
  channel?: { id: string };
  container?: { channel_id?: string; message_ts?: string };
  message?: { ts?: string };
  response_url?: string;
}

function actorOf(user: { id: string; name?: string; username?: string }): Actor {
  return { id: user.id, name: user.name ?? user.username ?? user.id, platform: 'slack' };
}

/** Starts the Slack triage adapter (Socket Mode or HTTP). Throws {@link SlackTriageConfigError} without either secret. */
export async function startSlackTriage(options: SlackTriageOptions): Promise<SlackTriage> {
  const { service, moderators, log } = options;
  const apiUrl = options.apiUrl ? (options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`) : undefined;
  const clientOptions = { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), logLevel: WebLogLevel.ERROR, timeout: 10_000 };
  const client = new WebClient(options.botToken, clientOptions);
  const logger = boltLogger(log);
  // authorize instead of token: bolt would call auth.test on every start, which a fake or a proxy may not serve.
  const authorize = async (): Promise<{ botToken: string }> => ({ botToken: options.botToken });
  const inFlight = new Set<Promise<void>>();

  /** Runs work after the ack; failures are logged and told to the moderator, never thrown into bolt. */
  const background = (what: string, work: () => Promise<void>, tell: (text: string) => Promise<void>): void => {
    const task = work().catch(async (error: unknown) => {
      log.error({ err: error }, `slack ${what} failed`);
      await tell(`Sorry, ${what} failed: ${error instanceof Error ? error.message : String(error)}. The bot's log has details.`).catch(
        () => undefined,
      );
    });
    const tracked = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  let app: App;
  let server: Server | undefined;
  let socket: SocketModeReceiver['client'] | undefined;
  const path = options.path ?? '/slack/events';
  if (options.appToken) {
    // Our own receiver, so stop() can wait for the socket to close (bolt's stop() does not), with its own copy of
    // the client options: the socket client points apps.connections.open at apiUrl too, and the retry settings it
    // writes into its options object must not leak into the App's clients.
    const receiver = new SocketModeReceiver({
      appToken: options.appToken,
      logger,
      installerOptions: { clientOptions: { ...clientOptions } },
    });
    socket = receiver.client;
    socket.on('reconnecting', () => log.warn({}, 'Slack Socket Mode connection lost; reconnecting (clicks wait until it is back)'));
    app = new App({ authorize, receiver, socketMode: true, clientOptions: { ...clientOptions }, logger });
  } else if (options.signingSecret) {
    const receiver = new HTTPReceiver({ signingSecret: options.signingSecret, endpoints: path, logger });
    app = new App({ authorize, receiver, clientOptions, logger });
    const now = options.now ?? Date.now;
    server = createServer((req, res) => {
      const ts = Number(req.headers['x-slack-request-timestamp']);
      if (Number.isFinite(ts) && ts - Math.floor(now() / 1000) > MAX_SKEW_SEC) {
        log.warn({ ts }, 'Slack request refused: timestamp more than 5 minutes in the future');
        res.writeHead(401).end();
        return;
      }
      try {
        receiver.requestListener(req, res);
      } catch {
        if (!res.headersSent) res.writeHead(404).end();
      }
    });
  } else {
    throw new SlackTriageConfigError(
      'Slack triage needs SLACK_APP_TOKEN (Socket Mode, no public URL) or a signing secret (HTTP mode); see docs/moderation.md.',
    );
  }

  const ephemeral = async (body: ActionBody, text: string, extra: Record<string, unknown> = {}): Promise<void> => {
    if (body.response_url) {
      await fetch(body.response_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text, ...extra }),
        signal: AbortSignal.timeout(10_000),
      }).then((r) => {
        if (!r.ok) throw new Error(`response_url answered ${r.status}`);
      });
      return;
    }
    const channel = body.channel?.id ?? body.container?.channel_id;
    if (channel) await client.chat.postEphemeral({ channel, user: body.user.id, text, ...extra });
  };

  async function refuse(body: ActionBody, actor: Actor, attempted: string, alertId?: string): Promise<void> {
    await service.recordRefusal(actor, attempted, alertId);
    await ephemeral(
      body,
      `Only moderators can ${attempted}. An admin can add your Slack user id (${escapeSlack(actor.id, 40)}) to \`moderators.slackUsers\` in the config.`,
    );
  }

  async function decide(
    body: ActionBody,
    alertId: string,
    action: TriageActionName,
    actor: Actor,
    where: { channel?: string; ts?: string },
    reason?: string,
  ): Promise<void> {
    const result = await service.act(alertId, action, actor, reason);
    if (!result.ok) {
      await ephemeral(body, escapeSlack(result.message, 1000));
      return;
    }
    if (where.channel && where.ts) {
      // The click gets its answer at once; the notify worker's edit job refreshes the other copies.
      const message = formatSlackMessage(result.alert, { withActions: true });
      await client.chat.update({ channel: where.channel, ts: where.ts, text: message.text, blocks: message.blocks as never });
      if (result.escalation) {
        await client.chat.postMessage({ channel: where.channel, thread_ts: where.ts, text: escapeSlack(result.escalation.text, 1000) });
      }
    }
    if (result.warnings.length > 0) {
      await ephemeral(body, `Saved, but: ${escapeSlack(result.warnings.join('; '), 1000)}`);
    }
  }

  app.action(TRIAGE_ACTION, async ({ ack, body, action }) => {
    await ack();
    const b = body as unknown as ActionBody;
    const actionId = (action as { action_id: string }).action_id;
    const alertId = (action as { value?: string }).value ?? '';
    const name = (TRIAGE_ACTION.exec(actionId)?.[1] ?? 'confirm') as TriageActionName;
    const actor = actorOf(b.user);
    const where = {
      ...((b.container?.channel_id ?? b.channel?.id) ? { channel: b.container?.channel_id ?? b.channel?.id ?? '' } : {}),
      ...((b.container?.message_ts ?? b.message?.ts) ? { ts: b.container?.message_ts ?? b.message?.ts ?? '' } : {}),
    };
    background(
      `${name} of alert ${alertId}`,
      async () => {
        if (!isModerator({ platform: 'slack', userId: actor.id }, moderators)) return refuse(b, actor, `${name} alerts`, alertId);
        if (name === 'dismiss') {
          const prompt = dismissReasonMessage({ alertId, ...where }, undefined);
          return ephemeral(b, prompt.text, { blocks: prompt.blocks });
        }
        return decide(b, alertId, name, actor, where);
      },
      (text) => ephemeral(b, text),
    );
  });

  app.action(DISMISS_REASON_ACTION, async ({ ack, body, action }) => {
    await ack();
    const b = body as unknown as ActionBody;
    const select = action as { block_id?: string; selected_option?: { value?: string } };
    const target = decodeDismissBlockId(select.block_id ?? '');
    const reason = select.selected_option?.value;
    const actor = actorOf(b.user);
    background(
      'dismiss',
      async () => {
        if (!target) return ephemeral(b, 'This dismiss prompt is not one of ours; use the Dismiss button on the alert.');
        if (!isModerator({ platform: 'slack', userId: actor.id }, moderators)) return refuse(b, actor, 'dismiss alerts', target.alertId);
        const where = { ...(target.channel ? { channel: target.channel } : {}), ...(target.ts ? { ts: target.ts } : {}) };
        return decide(b, target.alertId, 'dismiss', actor, where, reason);
      },
      (text) => ephemeral(b, text),
    );
  });

  app.command('/refwatch', async ({ ack, command }) => {
    await ack();
    const b: ActionBody = {
      user: { id: command.user_id, name: command.user_name },
      channel: { id: command.channel_id },
      response_url: command.response_url,
    };
    const actor = actorOf(b.user);
    background(
      `/refwatch ${command.text.split(/\s+/)[0] ?? ''}`.trim(),
      async () => {
        const isMod = isModerator({ platform: 'slack', userId: actor.id }, moderators);
        const reply = await runRefwatchCommand(command.text, { service, actor, isModerator: isMod });
        for (const page of reply) await ephemeral(b, page);
      },
      (text) => ephemeral(b, text),
    );
  });

  app.error(async (error) => {
    log.error({ err: error }, 'slack handler error');
  });

  let url: string | undefined;
  if (server) {
    const s = server;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(options.port ?? 3000, options.host ?? '0.0.0.0', () => {
        s.off('error', reject);
        resolve();
      });
    });
    const address = s.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    url = `http://${host}:${address.port}${path}`;
    log.info({ url }, 'Slack triage listening (HTTP mode, signed requests only)');
  } else {
    await app.start();
    log.info({}, 'Slack triage connected (Socket Mode)');
  }

  const settle = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };

  return {
    mode: server ? 'http' : 'socket',
    ...(url ? { url } : {}),
    settle,
    async stop() {
      if (server) {
        const s = server;
        const closed = new Promise<void>((resolve) => s.close(() => resolve()));
        // Acks are already sent; keep-alive sockets would otherwise hold close() open.
        s.closeAllConnections();
        await closed;
      } else if (socket) {
        const s = socket;
        let timer: NodeJS.Timeout | undefined;
        const closed = new Promise<void>((resolve) => {
          s.once('disconnected', () => resolve());
          // A peer that never answers the close frame is cut off by the client after 30 s; do not wait that long.
          timer = setTimeout(resolve, SOCKET_CLOSE_WAIT_MS);
        });
        await app.stop();
        await closed;
        clearTimeout(timer);
      }
      await settle();
    },
  };
}
