/** Shared setup for the Discord triage tests: real Redis, a real notify queue, the fake Discord REST. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIChatInputApplicationCommandInteraction, APIMessageComponentInteraction } from 'discord-api-types/v10';
import type { Alert, Source } from '../../../src/domain/index.js';
import type { Route } from '../../../src/config/index.js';
import { classifyDeliveryFailure, createDiscordNotifier } from '../../../src/notify/index.js';
import { deliverAlert, type DeliverDeps } from '../../../src/pipeline/index.js';
import { closeQueues, createQueues, type Queues } from '../../../src/queue/index.js';
import { createAlertStore, createChatSourceStore, createFetchStateStore, createTargetStateStore } from '../../../src/store/index.js';
import { createTriageService, notifyPortFromQueue, type TriageService } from '../../../src/triage/index.js';
import { PageStore, type DiscordHandlerContext, type DiscordResponder, type ReplyBody } from '../../../src/triage/discord/index.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord-api.js';

export const TRIAGE_CHANNEL = '100000000000000001';
export const ALERT_CHANNEL = '100000000000000002';
export const MOD_ROLE = '200000000000000001';
export const ESCALATION_ROLE = '200000000000000009';
export const GUILD = '400000000000000001';
export const moderators = { discordRoles: [MOD_ROLE], slackUsers: [], escalationRoles: [ESCALATION_ROLE], discordGuilds: [GUILD] };
export const routes: Route[] = [
  { when: { decision: 'review' }, to: [`discord:${TRIAGE_CHANNEL}`] },
  { when: { decision: 'alert' }, to: [`discord:${ALERT_CHANNEL}`] },
];
export const configSource: Source = { id: 'unhcr', type: 'rss', url: 'https://example.org/feed', everyMs: 900_000, origin: 'config' };

/** A review alert as analyze would have stored it. */
export function reviewAlert(id = 'al_story1'): Alert {
  return {
    id,
    storyId: 'story1',
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

/** Records what a handler asked Discord to do. */
export interface RecordingResponder extends DiscordResponder {
  calls: { kind: string; body?: unknown; at: number }[];
}

export function recordingResponder(): RecordingResponder {
  const calls: RecordingResponder['calls'] = [];
  const rec = (kind: string) => async (body?: unknown) => {
    calls.push({ kind, body, at: Date.now() });
  };
  return {
    calls,
    deferUpdate: rec('deferUpdate'),
    deferReply: async (ephemeral: boolean) => {
      calls.push({ kind: 'deferReply', body: { ephemeral }, at: Date.now() });
    },
    editReply: rec('editReply') as (b: ReplyBody) => Promise<void>,
    followUp: rec('followUp') as DiscordResponder['followUp'],
    showSelect: rec('showSelect') as DiscordResponder['showSelect'],
  };
}

const member = (userId: string, name: string, roles: string[], permissions = '0') => ({
  user: { id: userId, username: name.toLowerCase(), global_name: name, discriminator: '0', avatar: null },
  roles,
  permissions,
  joined_at: '2024-01-01T00:00:00.000Z',
  deaf: false,
  mute: false,
  flags: 0,
});

/** A guild button/select click as the gateway delivers it. */
export function componentClick(
  customId: string,
  who: { id: string; name: string; roles: string[]; permissions?: string },
  values?: string[],
): APIMessageComponentInteraction {
  return {
    id: `3${Math.floor(Math.random() * 1e17)}`.padEnd(18, '0'),
    application_id: '300000000000000001',
    type: 3,
    token: 'interaction-token',
    version: 1,
    guild_id: '400000000000000001',
    channel_id: TRIAGE_CHANNEL,
    app_permissions: '0',
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: {},
    attachment_size_limit: 8_000_000,
    member: member(who.id, who.name, who.roles, who.permissions),
    message: { id: '500000000000000001', channel_id: TRIAGE_CHANNEL } as never,
    data: values ? { custom_id: customId, component_type: 3, values } : { custom_id: customId, component_type: 2 },
  } as unknown as APIMessageComponentInteraction;
}

/** `/refwatch <path…>` with options at the leaf. */
export function slashCommand(
  path: string[],
  options: Record<string, string | number>,
  who: { id: string; name: string; roles: string[]; permissions?: string },
): APIChatInputApplicationCommandInteraction {
  let leaf: unknown[] = Object.entries(options).map(([name, value]) => ({ name, type: typeof value === 'number' ? 4 : 3, value }));
  for (let i = path.length - 1; i >= 0; i -= 1) leaf = [{ name: path[i], type: i === path.length - 1 ? 1 : 2, options: leaf }];
  return {
    id: '310000000000000001',
    application_id: '300000000000000001',
    type: 2,
    token: 'interaction-token',
    version: 1,
    guild_id: '400000000000000001',
    channel_id: TRIAGE_CHANNEL,
    app_permissions: '0',
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: {},
    attachment_size_limit: 8_000_000,
    member: member(who.id, who.name, who.roles, who.permissions),
    data: { id: '320000000000000001', name: 'refwatch', type: 1, options: leaf },
  } as unknown as APIChatInputApplicationCommandInteraction;
}

export const ana = { id: '600000000000000001', name: 'Ana', roles: [MOD_ROLE] };
export const ben = { id: '600000000000000002', name: 'Ben', roles: [MOD_ROLE] };
export const stranger = { id: '600000000000000003', name: 'Eve', roles: [] as string[] };

export interface Harness {
  t: TestRedis;
  fake: FakeDiscord;
  queues: Queues;
  service: TriageService;
  ctx: DiscordHandlerContext;
  scheduled: Source[];
  /** Runs every queued notify job once through deliverAlert (jobs are kept, so their ids still dedupe). */
  drain(): Promise<string[]>;
  /** Stores the alert and posts it to the triage channel. */
  seed(alert: Alert): Promise<void>;
  close(): Promise<void>;
}

export async function createHarness(options: { allowPrivateNetworks?: boolean } = {}): Promise<Harness> {
  const t = createTestRedis();
  const fake = await startFakeDiscord();
  const queues = createQueues(t.redis, t.prefix);
  const alerts = createAlertStore(t.redis, { prefix: t.prefix });
  const scheduled: Source[] = [];
  const service = createTriageService({
    redis: t.redis,
    prefix: t.prefix,
    alerts,
    routes,
    moderators,
    enqueueNotify: notifyPortFromQueue(queues.notify),
    classifier: {
      classify: ({ title }) => ({
        decision: /defector/iu.test(title) ? 'review' : 'ignore',
        score: /defector/iu.test(title) ? 6 : 0,
        severity: 'low',
        rules: [],
        matches: [],
        entities: { people: [], places: [] },
      }),
    },
    fetchState: createFetchStateStore(t.redis, { prefix: t.prefix }),
    chatSources: createChatSourceStore(t.redis, { prefix: t.prefix }),
    configSources: [configSource],
    fetchOptions: {
      timeoutMs: 5000,
      maxBytes: 1_000_000,
      maxRedirects: 3,
      userAgent: 'RefoulementWatch-test',
      allowPrivateNetworks: options.allowPrivateNetworks ?? false,
    },
    scheduleSource: async (s) => {
      scheduled.push(s);
    },
    unscheduleSource: async () => {},
  });
  const deliverDeps: DeliverDeps = {
    alerts,
    targets: createTargetStateStore(t.redis, { prefix: t.prefix }),
    notifiers: { discord: createDiscordNotifier({ token: fake.token, apiUrl: fake.apiUrl }) },
    routes,
    classifyFailure: classifyDeliveryFailure,
    warnOps: async () => {},
  };
  const done = new Set<string>();
  return {
    t,
    fake,
    queues,
    service,
    scheduled,
    ctx: { service, moderators, pages: new PageStore() },
    async drain() {
      const outcomes: string[] = [];
      const jobs = await queues.notify.getJobs(['waiting', 'prioritized', 'delayed']);
      for (const job of jobs.sort((a, b) => a.timestamp - b.timestamp)) {
        if (!job.id || done.has(job.id)) continue;
        done.add(job.id);
        outcomes.push((await deliverAlert(deliverDeps, job.data)).kind);
      }
      return outcomes;
    },
    async seed(alert) {
      await alerts.save(alert);
      await deliverAlert(deliverDeps, { alertId: alert.id, target: `discord:${TRIAGE_CHANNEL}`, action: 'post' });
    },
    async close() {
      await closeQueues(queues);
      await fake.close();
      await t.cleanup();
    },
  };
}

/** A 127.0.0.1 server answering every path with `body`. */
export async function serveText(body: string, contentType: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': contentType });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`, server };
}
