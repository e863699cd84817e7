/**
 * The Slack triage adapter in Socket Mode end to end: a real bolt App whose socket client gets its
 * URL from the fake Web API's apps.connections.open and connects to a local fake Socket Mode
 * endpoint; envelopes in, acks out, the triage service on real Redis, edits in the fake's ledger.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/domain/index.js';
import { readAudit, triageKeys } from '../../../src/triage/index.js';
import { startSlackTriage, type SlackTriage } from '../../../src/triage/slack/index.js';
import { slackCurrentPayload, slackMessagesIn } from '../../fakes/slack-api.js';
import { slashCommandPayload, startFakeSlackSocket, type FakeSlackSocket } from '../../fakes/slack-socket.js';
import { buttonClick, createSlackHarness, MODERATOR, reviewAlert, STRANGER, TRIAGE_CHANNEL, type SlackHarness } from './slack-harness.js';

interface SocketSetup {
  h: SlackHarness;
  socket: FakeSlackSocket;
  slack: SlackTriage;
  errors: string[];
  warnings: string[];
  stopped: boolean;
}

let current: SocketSetup | undefined;

afterEach(async () => {
  const s = current;
  current = undefined;
  if (!s) return;
  if (!s.stopped) await s.slack.stop();
  await s.socket.close();
  await s.h.close();
  expect(s.errors).toEqual([]);
});

/** The HTTP-mode harness (Redis, service, fake Web API, response_url catcher) plus a Socket Mode adapter on the same service. */
async function setup(): Promise<SocketSetup> {
  const h = await createSlackHarness();
  const socket = await startFakeSlackSocket();
  h.fake.useSocketMode(() => socket.issueUrl());
  const errors: string[] = [];
  const warnings: string[] = [];
  const slack = await startSlackTriage({
    botToken: h.fake.token,
    appToken: h.fake.appToken,
    apiUrl: h.fake.apiUrl,
    service: h.service,
    moderators: { discordRoles: [], slackUsers: [MODERATOR.id], escalationRoles: [] },
    log: { info: () => undefined, warn: (_o, msg) => void warnings.push(msg), error: (_o, msg) => void errors.push(msg) },
  });
  current = { h, socket, slack, errors, warnings, stopped: false };
  return current;
}

async function storedAlert(h: SlackHarness, id: string): Promise<Alert> {
  return JSON.parse((await h.t.redis.get(triageKeys(h.t.prefix).alert(id))) ?? 'null') as Alert;
}

/** Milliseconds between sending an envelope and its ack arriving at the fake. */
async function ackDelay(socket: FakeSlackSocket, envelopeId: string): Promise<number> {
  const ack = await socket.waitForAck(envelopeId, 5000);
  const sent = socket.sent.find((e) => e.envelopeId === envelopeId);
  return ack.at - (sent?.at ?? 0);
}

describe('Slack Socket Mode', () => {
  it('connects through apps.connections.open with the app token and the fake URL', async () => {
    const { h, socket, slack } = await setup();
    expect(slack.mode).toBe('socket');
    expect(slack.url).toBeUndefined();
    expect(h.fake.requests.filter((r) => r.method === 'apps.connections.open').map((r) => r.outcome)).toEqual(['ok']);
    expect(socket.connections).toBe(1);
    expect(socket.open).toBe(1);
    expect(socket.refused).toBe(0);
  });

  it("a moderator's confirm envelope is acked within 3 s, stored as confirmed, and the message updated", async () => {
    const { h, socket, slack } = await setup();
    const ts = await h.seed(reviewAlert('al_sock'));
    const envelope = socket.interactive(buttonClick('rw_confirm', 'al_sock', ts, MODERATOR, `${h.hookUrl}/c`));
    expect(await ackDelay(socket, envelope)).toBeLessThan(3000);
    expect(socket.acks.find((a) => a.envelopeId === envelope)?.payload).toEqual({});
    await slack.settle();

    const alert = await storedAlert(h, 'al_sock');
    expect(alert.triage).toMatchObject({ status: 'confirmed', by: MODERATOR.name });
    expect(alert.decision).toBe('alert');
    const [message] = slackMessagesIn(h.fake, TRIAGE_CHANNEL);
    expect(message?.edits).toHaveLength(1);
    expect(JSON.stringify(slackCurrentPayload(message ?? { channel: '', ts: '', payload: {}, edits: [] }))).toContain('Confirmed');
    expect(h.fake.requests.filter((r) => r.method === 'chat.update').map((r) => r.outcome)).toEqual(['ok']);
    const [entry] = await readAudit(h.t.redis, h.t.prefix, 10);
    expect(entry).toMatchObject({ action: 'confirm', actorId: MODERATOR.id, platform: 'slack', alertId: 'al_sock' });
  });

  it("a non-moderator's click is acked and refused ephemerally, with no state change", async () => {
    const { h, socket, slack } = await setup();
    const ts = await h.seed(reviewAlert('al_eve'));
    const envelope = socket.interactive(buttonClick('rw_confirm', 'al_eve', ts, STRANGER, `${h.hookUrl}/eve`));
    expect(await ackDelay(socket, envelope)).toBeLessThan(3000);
    await slack.settle();

    expect((await storedAlert(h, 'al_eve')).triage).toBeUndefined();
    expect(slackMessagesIn(h.fake, TRIAGE_CHANNEL)[0]?.edits).toEqual([]);
    expect(h.responses).toHaveLength(1);
    expect(h.responses[0]).toMatchObject({ path: '/hook/eve', body: { response_type: 'ephemeral', replace_original: false } });
    expect(String(h.responses[0]?.body.text)).toContain('Only moderators');
    const [entry] = await readAudit(h.t.redis, h.t.prefix, 10);
    expect(entry).toMatchObject({ action: 'refused', actorId: STRANGER.id, alertId: 'al_eve' });
  });

  it('a /refwatch status envelope is acked and answered through response_url', async () => {
    const { h, socket, slack } = await setup();
    const envelope = socket.slashCommand(slashCommandPayload('status', MODERATOR, TRIAGE_CHANNEL, `${h.hookUrl}/status`));
    expect(await ackDelay(socket, envelope)).toBeLessThan(3000);
    await slack.settle();
    expect(h.responses.map((r) => r.path)).toEqual(['/hook/status']);
    expect(h.responses[0]?.body.response_type).toBe('ephemeral');
    expect(String(h.responses[0]?.body.text)).toContain('*Refoulement Watch status*');
  });

  it('reconnects with a fresh ticket after Slack asks it to, and keeps handling envelopes', async () => {
    const { h, socket, slack, warnings } = await setup();
    socket.disconnect('refresh_requested');
    // The client waits its ping timeout (5 s, not configurable through bolt's App) before reconnecting.
    await socket.waitForConnections(2, 12_000);
    expect(socket.open).toBe(1);
    expect(socket.refused).toBe(0);
    expect(h.fake.requests.filter((r) => r.method === 'apps.connections.open').map((r) => r.outcome)).toEqual(['ok', 'ok']);
    expect(warnings.some((w) => w.includes('reconnecting'))).toBe(true);

    const ts = await h.seed(reviewAlert('al_again'));
    const envelope = socket.interactive(buttonClick('rw_confirm', 'al_again', ts, MODERATOR, `${h.hookUrl}/again`));
    expect(await ackDelay(socket, envelope)).toBeLessThan(3000);
    await slack.settle();
    expect((await storedAlert(h, 'al_again')).triage?.status).toBe('confirmed');
  }, 20_000);

  it('stop() closes the socket cleanly and does not reconnect', async () => {
    const s = await setup();
    const started = Date.now();
    await s.slack.stop();
    s.stopped = true;
    // Returned after the close handshake, not after stop()'s 5 s fallback.
    expect(Date.now() - started).toBeLessThan(2000);
    // The server side sees the TCP close a moment after the client finished the handshake.
    await s.socket.waitForNoneOpen(1000);
    expect(s.socket.clientCloses).toEqual([1000]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.socket.connections).toBe(1);
    expect(s.h.fake.requests.filter((r) => r.method === 'apps.connections.open')).toHaveLength(1);
  });
});
