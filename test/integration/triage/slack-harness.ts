/**
 * Shared setup for the Slack triage tests: real Redis, the fake Slack Web API, a real bolt App in
 * HTTP mode on 127.0.0.1, request signing as Slack does it, and a local `response_url` catcher.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Route } from '../../../src/config/index.js';
import type { Alert } from '../../../src/domain/index.js';
import { createSlackNotifier, splitSlackMessageId } from '../../../src/notify/index.js';
import { createAlertStore, createChatSourceStore, createFetchStateStore, type AlertStore } from '../../../src/store/index.js';
import { createTriageService, type KeyedNotifyJob, type TriageService } from '../../../src/triage/index.js';
import { startSlackTriage, type SlackTriage } from '../../../src/triage/slack/index.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack-api.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';

export const SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a';
export const TRIAGE_CHANNEL = 'C0TRIAGE01';
export const ALERT_CHANNEL = 'C0ALERTS01';
export const MODERATOR = { id: 'U0MOD0001', name: 'ana' };
export const STRANGER = { id: 'U0EVE0002', name: 'eve' };
const routes: Route[] = [
  { when: { decision: 'review' }, to: [`slack:${TRIAGE_CHANNEL}`] },
  { when: { decision: 'alert' }, to: [`slack:${ALERT_CHANNEL}`] },
];

/** A review alert as analyze would have stored it. */
export function reviewAlert(id: string): Alert {
  return {
    id,
    storyId: `story-${id}`,
    decision: 'review',
    severity: 'medium',
    score: 7,
    title: 'Chinese police detain North Korean defectors',
    url: 'https://news.example.org/a',
    sourceId: 'unhcr',
    sourceName: 'Example News',
    discoveredAt: new Date().toISOString(),
    matches: [{ rule: 'nk/core-en', term: 'north korean defectors', field: 'title', snippet: 'detain North Korean defectors', weight: 4 }],
    rules: [{ rule: 'nk/core-en', pack: 'nk', score: 7, why: ['title: north korean defectors (+4)'] }],
    entities: { people: [], places: [] },
    alsoReportedBy: [],
  };
}

/** What a `response_url` received. */
export interface Responded {
  path: string;
  body: Record<string, unknown>;
}

export interface SlackHarness {
  t: TestRedis;
  fake: FakeSlack;
  alerts: AlertStore;
  service: TriageService;
  slack: SlackTriage;
  /** Notify jobs the service queued. */
  jobs: KeyedNotifyJob[];
  responses: Responded[];
  /** Base of the response_url catcher, e.g. http://127.0.0.1:1234/hook */
  hookUrl: string;
  /** Stores the alert and posts it to the triage channel through the real notifier; returns the message ts. */
  seed(alert: Alert): Promise<string>;
  /** POSTs a form body to the bolt endpoint with headers built by `sign`. */
  send(form: string, headers: Record<string, string>): Promise<{ status: number; ms: number }>;
  close(): Promise<void>;
}

/** Slack's v0 signature of `body` at unix time `ts`. */
export function sign(body: string, ts: number, secret = SIGNING_SECRET): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature };
}

export const nowSec = (): number => Math.floor(Date.now() / 1000);

/** A `block_actions` payload for a click on one of our buttons (the shape Slack sends). */
export function buttonClick(
  actionId: string,
  alertId: string,
  ts: string,
  user: { id: string; name: string },
  responseUrl: string,
): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: 'T0TEAM001' },
    api_app_id: 'A0APP0001',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: TRIAGE_CHANNEL, is_ephemeral: false },
    trigger_id: '1234567890.123456789.abcdef',
    team: { id: 'T0TEAM001', domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: TRIAGE_CHANNEL, name: 'triage' },
    message: { type: 'message', subtype: 'bot_message', ts, text: 'alert', bot_id: 'B0BOT0001', blocks: [] },
    state: { values: {} },
    response_url: responseUrl,
    actions: [
      {
        action_id: actionId,
        block_id: 'rw_triage',
        text: { type: 'plain_text', text: 'Click', emoji: false },
        value: alertId,
        type: 'button',
        action_ts: `${nowSec()}.000100`,
      },
    ],
  };
}

/** A `block_actions` payload for picking a reason in the dismiss select. */
export function reasonPick(
  blockId: string,
  reason: string,
  user: { id: string; name: string },
  responseUrl: string,
): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: 'T0TEAM001' },
    api_app_id: 'A0APP0001',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: '1700000001.000200', channel_id: TRIAGE_CHANNEL, is_ephemeral: true },
    trigger_id: '1234567890.123456789.abcdef',
    team: { id: 'T0TEAM001', domain: 'example' },
    channel: { id: TRIAGE_CHANNEL, name: 'triage' },
    state: { values: {} },
    response_url: responseUrl,
    actions: [
      {
        type: 'static_select',
        action_id: 'rw_dismiss_reason',
        block_id: blockId,
        selected_option: { text: { type: 'plain_text', text: reason }, value: reason },
        action_ts: `${nowSec()}.000300`,
      },
    ],
  };
}

/** The form body Slack posts for interactivity. */
export const interactionForm = (payload: Record<string, unknown>): string => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

/** The form body Slack posts for `/refwatch <text>`. */
export function slashForm(text: string, user: { id: string; name: string }, responseUrl: string): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0TEAM001',
    team_domain: 'example',
    channel_id: TRIAGE_CHANNEL,
    channel_name: 'triage',
    user_id: user.id,
    user_name: user.name,
    command: '/refwatch',
    text,
    api_app_id: 'A0APP0001',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: '1234.5678.abcd',
  }).toString();
}

async function startCatcher(responses: Responded[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      responses.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

/** Builds the harness; `wrap` may decorate the service (e.g. to slow it down). */
export async function createSlackHarness(wrap: (s: TriageService) => TriageService = (s) => s): Promise<SlackHarness> {
  const t = createTestRedis();
  const fake = await startFakeSlack();
  const alerts = createAlertStore(t.redis, { prefix: t.prefix });
  const jobs: KeyedNotifyJob[] = [];
  const moderators = { discordRoles: [], slackUsers: [MODERATOR.id], escalationRoles: [] };
  const service = wrap(
    createTriageService({
      redis: t.redis,
      prefix: t.prefix,
      alerts,
      routes,
      moderators,
      enqueueNotify: async (batch) => {
        jobs.push(...batch);
      },
      classifier: {
        classify: () => ({ decision: 'ignore', score: 0, severity: 'low', rules: [], matches: [], entities: { people: [], places: [] } }),
      },
      fetchState: createFetchStateStore(t.redis, { prefix: t.prefix }),
      chatSources: createChatSourceStore(t.redis, { prefix: t.prefix }),
      configSources: [{ id: 'unhcr', type: 'rss', url: 'https://example.org/feed', everyMs: 900_000, origin: 'config' }],
      fetchOptions: {
        timeoutMs: 5000,
        maxBytes: 1_000_000,
        maxRedirects: 3,
        userAgent: 'RefoulementWatch-test',
        allowPrivateNetworks: false,
      },
      scheduleSource: async () => {},
      unscheduleSource: async () => {},
    }),
  );
  const responses: Responded[] = [];
  const catcher = await startCatcher(responses);
  const errors: string[] = [];
  const slack = await startSlackTriage({
    botToken: fake.token,
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
    service,
    moderators,
    port: 0,
    host: '127.0.0.1',
    log: { info: () => undefined, warn: () => undefined, error: (_o, msg) => void errors.push(msg) },
  });
  const notifier = createSlackNotifier({ token: fake.token, apiUrl: fake.apiUrl, withActions: () => true });
  const url = slack.url ?? '';
  return {
    t,
    fake,
    alerts,
    service,
    slack,
    jobs,
    responses,
    hookUrl: catcher.url,
    async seed(alert) {
      await alerts.save(alert);
      const posted = await notifier.post(TRIAGE_CHANNEL, alert, { nonce: alert.id });
      await alerts.markPosted(alert.id, `slack:${TRIAGE_CHANNEL}`, posted.messageId);
      // The stored message id is "channel/ts"; a Slack button payload carries the bare ts.
      return splitSlackMessageId(posted.messageId, TRIAGE_CHANNEL).ts;
    },
    async send(form, headers) {
      const started = Date.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: form,
      });
      await res.arrayBuffer();
      return { status: res.status, ms: Date.now() - started };
    },
    async close() {
      await slack.stop();
      catcher.server.closeAllConnections();
      await new Promise<void>((resolve) => catcher.server.close(() => resolve()));
      await fake.close();
      await t.cleanup();
      if (errors.length > 0) throw new Error(`Slack adapter logged errors: ${errors.join('; ')}`);
    },
  };
}
