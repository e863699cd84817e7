/**
 * The Discord moderation client end to end: a real discord.js client (via `startBot` and
 * `startModeration`) against the fake REST API and fake gateway on 127.0.0.1, real Redis and a
 * real notify worker. Interactions arrive as gateway dispatches, exactly as Discord sends them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadEnv } from '../../../src/config/index.js';
import type { Alert } from '../../../src/domain/index.js';
import { createLogger } from '../../../src/infra/index.js';
import type { TriageService } from '../../../src/triage/index.js';
import { DiscordTriageError, startDiscordTriage } from '../../../src/triage/discord/index.js';
import { startBot, type RunningBot } from '../../../workers/main.js';
import { startModeration } from '../../../workers/moderation.js';
import { discordCurrentPayload, discordMessagesIn, startFakeDiscord, type FakeDiscord } from '../../fakes/discord-api.js';
import { startFakeDiscordGateway, type FakeDiscordGateway } from '../../fakes/discord-gateway.js';
import { createTestRedis, testRedisUrl, type TestRedis } from '../../helpers/redis.js';

type Json = Record<string, unknown>;

const APP_ID = '310000000000000001';
const GUILD_ID = '410000000000000001';
const TRIAGE_CHANNEL = '110000000000000001';
const ALERT_CHANNEL = '110000000000000002';
const MOD_ROLE = '210000000000000001';
const TOKEN = 'MTEyMzQ1Njc4OTAxMjM0NTY3OA.fake-e2e.bot-token-never-logged';
const ana = { id: '610000000000000001', name: 'Ana', roles: [MOD_ROLE] };
const eve = { id: '610000000000000003', name: 'Eve', roles: [] as string[] };

const CONFIG = `
sources: []
routes:
  - when: { decision: review }
    to: ["discord:${TRIAGE_CHANNEL}"]
  - when: { decision: alert }
    to: ["discord:${ALERT_CHANNEL}"]
moderators:
  discordRoles: ["${MOD_ROLE}"]
`;

function reviewAlert(id: string, storyId: string): Alert {
  return {
    id,
    storyId,
    decision: 'review',
    severity: 'medium',
    score: 7,
    title: `Chinese police detain North Korean defectors (${storyId})`,
    url: `https://news.example.org/${storyId}`,
    sourceId: 'unhcr',
    sourceName: 'Example News',
    discoveredAt: new Date().toISOString(),
    matches: [{ rule: 'nk/core-en', term: 'north korean defectors', field: 'title', snippet: 'detain North Korean defectors', weight: 4 }],
    rules: [{ rule: 'nk/core-en', pack: 'nk', score: 7, why: ['title: north korean defectors (+4)'] }],
    entities: { people: [], places: [] },
    alsoReportedBy: [],
  };
}

let interactionSeq = 0;
function ids(): { id: string; token: string } {
  interactionSeq += 1;
  return {
    id: `71000000000000${String(interactionSeq).padStart(4, '0')}`,
    token: `aW50ZXJhY3Rpb246${interactionSeq}:e2e-interaction-token-${interactionSeq}`,
  };
}

function member(who: { id: string; name: string; roles: string[] }): Json {
  return {
    user: { id: who.id, username: who.name.toLowerCase(), global_name: who.name, discriminator: '0', avatar: null, public_flags: 0 },
    roles: who.roles,
    permissions: '1024',
    joined_at: '2024-01-01T00:00:00.000000+00:00',
    deaf: false,
    mute: false,
    flags: 0,
    nick: null,
    avatar: null,
    premium_since: null,
    pending: false,
    communication_disabled_until: null,
  };
}

const base = (who: { id: string; name: string; roles: string[] }) => ({
  application_id: APP_ID,
  version: 1,
  guild_id: GUILD_ID,
  channel_id: TRIAGE_CHANNEL,
  guild: { id: GUILD_ID, features: [], locale: 'en-US' },
  guild_locale: 'en-US',
  locale: 'en-US',
  app_permissions: '2248473465835073',
  entitlements: [],
  authorizing_integration_owners: { 0: GUILD_ID },
  context: 0,
  attachment_size_limit: 10_485_760,
  member: member(who),
  channel: { id: TRIAGE_CHANNEL, type: 0, guild_id: GUILD_ID, name: 'triage', position: 0, flags: 0, parent_id: null, nsfw: false },
});

/** A button click on the bot's message `messageId`, as INTERACTION_CREATE carries it. */
function buttonClick(customId: string, who: { id: string; name: string; roles: string[] }, messageId: string, payload: Json): Json {
  return {
    ...ids(),
    type: 3,
    ...base(who),
    data: { custom_id: customId, component_type: 2 },
    message: {
      id: messageId,
      channel_id: TRIAGE_CHANNEL,
      type: 0,
      content: '',
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      pinned: false,
      flags: 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      author: { id: APP_ID, username: 'refwatch-test', discriminator: '0', global_name: null, avatar: null, bot: true },
      embeds: payload.embeds ?? [],
      components: payload.components ?? [],
      application_id: APP_ID,
      webhook_id: undefined,
    },
  };
}

function statusCommand(who: { id: string; name: string; roles: string[] }): Json {
  return {
    ...ids(),
    type: 2,
    ...base(who),
    data: { id: '320000000000000009', name: 'refwatch', type: 1, guild_id: GUILD_ID, options: [{ name: 'status', type: 1, options: [] }] },
  };
}

async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let gateway: FakeDiscordGateway;
let fake: FakeDiscord;
let t: TestRedis;
let bot: RunningBot | undefined;
let dataDir: string;
const logLines: string[] = [];

/** Makes the interaction known to the REST fake (as Discord does) and pushes it down the gateway. */
function interact(payload: Json): { id: string; token: string } {
  const message = payload.message as { id: string; channel_id: string } | undefined;
  fake.app.expectInteraction({ id: String(payload.id), token: String(payload.token), ...(message ? { message } : {}) });
  expect(gateway.dispatch('INTERACTION_CREATE', payload)).toBe(1);
  return { id: String(payload.id), token: String(payload.token) };
}

const callbackOf = (id: string) => eventually(() => fake.app.callbacks.find((c) => c.interactionId === id), `callback for ${id}`, 4000);
const storedAlert = async (id: string): Promise<Alert> => JSON.parse((await t.redis.get(`${t.prefix}:alert:${id}`)) ?? 'null') as Alert;
const triageText = (payload: Json): string =>
  String((((payload.embeds as Json[] | undefined)?.[0]?.fields ?? []) as Json[]).find((f) => f.name === 'Triage')?.value ?? '');

beforeAll(async () => {
  t = createTestRedis();
  gateway = await startFakeDiscordGateway({ token: TOKEN, applicationId: APP_ID, heartbeatIntervalMs: 400 });
  fake = await startFakeDiscord({ token: TOKEN, gatewayUrl: gateway.url, applicationId: APP_ID });
  dataDir = mkdtempSync(path.join(tmpdir(), 'refwatch-e2e-'));
  const rawEnv = {
    REDIS_URL: testRedisUrl(),
    REFWATCH_PREFIX: t.prefix,
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_URL: fake.apiUrl,
    REFWATCH_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  };
  const env = loadEnv(rawEnv);
  const config = loadConfig({ text: CONFIG, env: rawEnv });
  const log = createLogger({
    level: 'info',
    destination: {
      write: (line: string) => {
        logLines.push(line);
      },
    },
  });
  bot = await startBot({
    env,
    rawEnv,
    roles: ['poll', 'analyze', 'notify'],
    config,
    log,
    stopTimeoutMs: 3000,
    extensions: startModeration(env, config),
  });
  // Two review items, posted to the triage channel by the real notify worker.
  for (const alert of [reviewAlert('al_e2e_one', 'one'), reviewAlert('al_e2e_two', 'two')]) {
    await bot.runtime.alerts.save(alert);
    await bot.runtime.enqueueNotify([{ alertId: alert.id, target: `discord:${TRIAGE_CHANNEL}`, action: 'post' }]);
  }
  await eventually(() => discordMessagesIn(fake, TRIAGE_CHANNEL).length === 2 || undefined, 'two triage posts');
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await gateway?.close();
  await fake?.close();
  await t?.cleanup();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('Discord moderation through a real gateway connection', () => {
  it('identifies with the Guilds intent only, heartbeats, and registers /refwatch at ready', async () => {
    expect(gateway.identifies).toEqual([expect.objectContaining({ intents: 1, tokenMatched: true, shard: [0, 1] })]);
    const registration = await eventually(() => fake.app.registrations[0], 'command registration');
    expect(registration.scope).toBe('global');
    expect(registration.commands.map((c) => c.name)).toEqual(['refwatch']);
    await eventually(() => gateway.heartbeats >= 1 || undefined, 'a heartbeat', 3000);
    expect(gateway.closes).toEqual([]);
  });

  it('a moderator confirm: deferred update within 3 s, confirmed in Redis, promoted post once, triage message edited', async () => {
    const [one] = discordMessagesIn(fake, TRIAGE_CHANNEL);
    const click = interact(buttonClick('rw:confirm:al_e2e_one', ana, one!.id, one!.payload));
    const callback = await callbackOf(click.id);
    expect(callback).toMatchObject({ type: 6, status: 204 });
    expect(callback.afterMs).toBeLessThan(3000);

    await eventually(async () => (await storedAlert('al_e2e_one')).triage?.status === 'confirmed' || undefined, 'confirmed state');
    const alert = await storedAlert('al_e2e_one');
    expect(alert.decision).toBe('alert');
    expect(alert.triage).toMatchObject({ status: 'confirmed', by: 'Ana' });

    const posted = await eventually(() => discordMessagesIn(fake, ALERT_CHANNEL)[0], 'the promoted alert');
    expect(JSON.stringify(posted.payload)).toContain('https://news.example.org/one');
    await eventually(() => triageText(discordCurrentPayload(one!)).includes('Confirmed') || undefined, 'the triage message edit');
    expect(triageText(discordCurrentPayload(one!))).toMatch(/Ana/);
    // The moderator hears back privately.
    const note = await eventually(() => fake.app.webhooks.find((w) => w.interactionId === click.id && w.method === 'POST'), 'follow-up');
    expect(note).toMatchObject({ status: 200, body: { flags: 64, content: expect.stringMatching(/^Confirmed by Ana; promoted/) } });

    // Give any duplicate post job time to run: still exactly one message in the alert channel.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(discordMessagesIn(fake, ALERT_CHANNEL)).toHaveLength(1);
    expect(fake.app.callbacks.filter((c) => c.interactionId === click.id)).toHaveLength(1);
  });

  it("a non-moderator's click gets an ephemeral refusal and changes nothing", async () => {
    const two = discordMessagesIn(fake, TRIAGE_CHANNEL)[1];
    const alertPosts = discordMessagesIn(fake, ALERT_CHANNEL).length;
    const click = interact(buttonClick('rw:confirm:al_e2e_two', eve, two!.id, two!.payload));
    const callback = await callbackOf(click.id);
    expect(callback).toMatchObject({ type: 5, status: 204, data: { flags: 64 } });
    const reply = await eventually(() => fake.app.webhooks.find((w) => w.interactionId === click.id), 'refusal text');
    expect(reply).toMatchObject({
      method: 'PATCH',
      messageId: '@original',
      status: 200,
      body: { content: expect.stringMatching(/^Only moderators/) },
    });

    const stored = await storedAlert('al_e2e_two');
    expect(stored.decision).toBe('review');
    expect(stored.triage).toBeUndefined();
    expect(two!.edits).toHaveLength(0);
    expect(discordMessagesIn(fake, ALERT_CHANNEL)).toHaveLength(alertPosts);
  });

  it('dismiss: an ephemeral reason select, then the picked reason dismisses', async () => {
    const two = discordMessagesIn(fake, TRIAGE_CHANNEL)[1];
    const click = interact(buttonClick('rw:dismiss:al_e2e_two', ana, two!.id, two!.payload));
    const select = await callbackOf(click.id);
    expect(select).toMatchObject({ type: 4, status: 204, data: { flags: 64 } });
    const menu = ((select.data?.components as Json[])[0]?.components as Json[])[0];
    expect(menu).toMatchObject({ type: 3, custom_id: 'rw:dismiss-reason:al_e2e_two' });

    // The select sits on the ephemeral reply (flags 64), not on the triage message.
    const ephemeral = { embeds: [], components: select.data?.components };
    const pick = buttonClick('rw:dismiss-reason:al_e2e_two', ana, '810000000000000001', ephemeral);
    pick.data = { custom_id: 'rw:dismiss-reason:al_e2e_two', component_type: 3, values: ['old-news'] };
    const picked = interact(pick);
    expect(await callbackOf(picked.id)).toMatchObject({ type: 6, status: 204 });
    const outcome = await eventually(() => fake.app.webhooks.find((w) => w.interactionId === picked.id), 'dismiss outcome');
    expect(outcome).toMatchObject({
      method: 'PATCH',
      messageId: '@original',
      status: 200,
      body: { content: 'Dismissed by Ana', components: [] },
    });
    expect((await storedAlert('al_e2e_two')).triage).toMatchObject({ status: 'dismissed', reason: 'old-news', by: 'Ana' });
    await eventually(() => triageText(discordCurrentPayload(two!)).includes('Dismissed') || undefined, 'the triage message edit');
    expect(discordMessagesIn(fake, ALERT_CHANNEL)).toHaveLength(1);
  });

  it('/refwatch status is answered with an ephemeral status embed', async () => {
    const command = interact(statusCommand(ana));
    expect(await callbackOf(command.id)).toMatchObject({ type: 5, status: 204, data: { flags: 64 } });
    const reply = await eventually(() => fake.app.webhooks.find((w) => w.interactionId === command.id), 'status reply');
    expect(reply).toMatchObject({ method: 'PATCH', messageId: '@original', status: 200 });
    const embed = (reply.body.embeds as Json[])[0];
    expect(embed).toMatchObject({ title: 'Status' });
    expect(String(embed?.description)).toMatch(/^\*\*Refoulement Watch status\*\*\nSources: 0 total/);
    expect(String(embed?.description)).toMatch(/Alerts today \(UTC\): 1/);
  });

  it('logs a failed interaction without the bot token or the interaction token', async () => {
    // Not made known to the REST fake: its callback gets 404 Unknown interaction, as a late one would.
    const payload = statusCommand(ana);
    expect(gateway.dispatch('INTERACTION_CREATE', payload)).toBe(1);
    const line = await eventually(
      () => logLines.find((l) => l.includes('Discord interaction failed') && l.includes(String(payload.id))),
      'failure log',
    );
    expect(line).toMatch(/Unknown interaction/);
    const all = logLines.join('');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(String(payload.token));
    expect(all).not.toContain('e2e-interaction-token');
  });

  it('stop() closes the gateway connection cleanly', async () => {
    await bot?.stop();
    bot = undefined;
    await eventually(() => gateway.clientCloses.length > 0 || undefined, 'client close', 3000);
    expect(gateway.clientCloses).toEqual([1000]);
  });
});

describe('startDiscordTriage when Discord cannot be reached', () => {
  const quiet = { info: () => undefined, warn: () => undefined };
  // Never called: the client fails before any interaction arrives.
  const service = {} as TriageService;
  const moderators = { discordRoles: [], slackUsers: [], escalationRoles: [] };

  it('rejects a refused token with an actionable error and leaves nothing running', async () => {
    const api = await startFakeDiscord({ token: TOKEN });
    try {
      const error = await startDiscordTriage({ token: 'wrong-token', apiUrl: api.apiUrl, service, moderators, log: quiet }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DiscordTriageError);
      expect(error).toMatchObject({ code: 'bad-token', message: expect.stringMatching(/DISCORD_TOKEN/) });
      expect(String((error as Error).message)).not.toContain('wrong-token');
      expect(api.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /api/v10/gateway/bot 401']);
    } finally {
      await api.close();
    }
  });

  it('returns still connecting after connectTimeoutMs, then comes up when the gateway answers', async () => {
    const slow = await startFakeDiscordGateway({ token: TOKEN, applicationId: APP_ID, silent: true });
    const api = await startFakeDiscord({ token: TOKEN, gatewayUrl: slow.url, applicationId: APP_ID });
    const warnings: string[] = [];
    const log = {
      info: () => undefined,
      warn: (_o: object, msg: string) => {
        warnings.push(msg);
      },
    };
    try {
      const started = Date.now();
      const client = await startDiscordTriage({ token: TOKEN, apiUrl: api.apiUrl, service, moderators, log, connectTimeoutMs: 300 });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(client.ready).toBe(false);
      expect(warnings).toEqual([expect.stringMatching(/not ready after 300 ms; moderation starts when it connects/)]);
      slow.release();
      await eventually(() => client.ready || undefined, 'late READY', 5000);
      expect(client.applicationId).toBe(APP_ID);
      await eventually(() => api.app.registrations[0], 'command registration');
      await client.stop();
      await eventually(() => slow.clientCloses.length > 0 || undefined, 'client close', 3000);
      expect(slow.clientCloses).toEqual([1000]);
    } finally {
      await slow.close();
      await api.close();
    }
  });
});
