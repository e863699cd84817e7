/**
 * The Slack triage adapter end to end: signed Slack requests into a real bolt App (HTTP mode on
 * 127.0.0.1), the triage service on real Redis, and the fake Slack Web API's ledger.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/domain/index.js';
import { readAudit, triageKeys, type TriageService } from '../../../src/triage/index.js';
import { startSlackTriage } from '../../../src/triage/slack/index.js';
import { slackCurrentPayload, slackMessagesIn } from '../../fakes/slack-api.js';
import {
  buttonClick,
  createSlackHarness,
  interactionForm,
  MODERATOR,
  nowSec,
  reasonPick,
  reviewAlert,
  sign,
  slashForm,
  STRANGER,
  TRIAGE_CHANNEL,
  type SlackHarness,
} from './slack-harness.js';

let h: SlackHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function storedAlert(harness: SlackHarness, id: string): Promise<Alert> {
  const raw = await harness.t.redis.get(triageKeys(harness.t.prefix).alert(id));
  return JSON.parse(raw ?? 'null') as Alert;
}

function contextText(payload: Record<string, unknown>): string {
  const blocks = payload.blocks as { type: string; elements?: { text?: string }[] }[];
  return blocks
    .filter((b) => b.type === 'context')
    .flatMap((b) => b.elements ?? [])
    .map((e) => e.text ?? '')
    .join(' ');
}

function buttonIds(payload: Record<string, unknown>): string[] {
  const blocks = payload.blocks as { type: string; elements?: { action_id?: string }[] }[];
  return blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .map((e) => e.action_id ?? '');
}

describe('Slack buttons', () => {
  it('a moderator confirm: acked, state stored in Redis, label written, message updated through chat.update', async () => {
    const harness = (h = await createSlackHarness());
    const ts = await harness.seed(reviewAlert('al_confirm'));
    const form = interactionForm(buttonClick('rw_confirm', 'al_confirm', ts, MODERATOR, `${harness.hookUrl}/1`));
    const res = await harness.send(form, sign(form, nowSec()));
    expect(res.status).toBe(200);
    await harness.slack.settle();

    const alert = await storedAlert(harness, 'al_confirm');
    expect(alert.triage).toMatchObject({ status: 'confirmed', by: 'ana' });
    expect(alert.decision).toBe('alert'); // a confirmed review item is promoted
    const label = JSON.parse((await harness.t.redis.hget(triageKeys(harness.t.prefix).labels(), 'al_confirm')) ?? '{}') as {
      label?: boolean;
      by?: string;
    };
    expect(label).toMatchObject({ label: true, by: 'ana' });

    const [message] = slackMessagesIn(harness.fake, TRIAGE_CHANNEL);
    expect(message?.edits).toHaveLength(1);
    const shown = slackCurrentPayload(message ?? { channel: '', ts: '', payload: {}, edits: [] });
    expect(contextText(shown)).toContain('Confirmed');
    expect(buttonIds(shown)).toEqual([]); // confirm is final: no buttons left
    expect(harness.fake.requests.filter((r) => r.method === 'chat.update').map((r) => r.outcome)).toEqual(['ok']);
    // The promotion queued a post to the alert channel and an edit of the triage copy.
    expect(harness.jobs.map((j) => `${j.job.action}:${j.job.target}`).sort()).toEqual(['edit:slack:C0TRIAGE01', 'post:slack:C0ALERTS01']);
    const [entry] = await readAudit(harness.t.redis, harness.t.prefix, 10);
    expect(entry).toMatchObject({ action: 'confirm', actorId: MODERATOR.id, platform: 'slack', alertId: 'al_confirm' });
  });

  it('refuses unsigned, tampered, stale and far-future requests with 401 and changes nothing', async () => {
    const harness = (h = await createSlackHarness());
    const ts = await harness.seed(reviewAlert('al_sig'));
    const form = interactionForm(buttonClick('rw_confirm', 'al_sig', ts, MODERATOR, `${harness.hookUrl}/1`));
    const tampered = form.replace('rw_confirm', 'rw_confirn');
    expect(tampered).not.toBe(form);

    expect((await harness.send(form, {})).status).toBe(401);
    expect((await harness.send(tampered, sign(form, nowSec()))).status).toBe(401);
    expect((await harness.send(form, sign(form, nowSec() - 301))).status).toBe(401);
    expect((await harness.send(form, sign(form, nowSec() + 301))).status).toBe(401);
    expect((await harness.send(form, sign(form, nowSec(), 'another-secret'))).status).toBe(401);
    await harness.slack.settle();

    expect((await storedAlert(harness, 'al_sig')).triage).toBeUndefined();
    expect(slackMessagesIn(harness.fake, TRIAGE_CHANNEL)[0]?.edits).toEqual([]);
    expect(harness.responses).toEqual([]);
    // Control: the same request, signed now, is accepted.
    expect((await harness.send(form, sign(form, nowSec()))).status).toBe(200);
    await harness.slack.settle();
    expect((await storedAlert(harness, 'al_sig')).triage?.status).toBe('confirmed');
  });

  it("a non-moderator's click gets an ephemeral refusal, is audited, and changes no state", async () => {
    const harness = (h = await createSlackHarness());
    const ts = await harness.seed(reviewAlert('al_eve'));
    const form = interactionForm(buttonClick('rw_claim', 'al_eve', ts, STRANGER, `${harness.hookUrl}/eve`));
    expect((await harness.send(form, sign(form, nowSec()))).status).toBe(200);
    await harness.slack.settle();

    expect((await storedAlert(harness, 'al_eve')).triage).toBeUndefined();
    expect(slackMessagesIn(harness.fake, TRIAGE_CHANNEL)[0]?.edits).toEqual([]);
    expect(harness.responses).toHaveLength(1);
    expect(harness.responses[0]).toMatchObject({ path: '/hook/eve', body: { response_type: 'ephemeral', replace_original: false } });
    expect(String(harness.responses[0]?.body.text)).toContain('Only moderators');
    const [entry] = await readAudit(harness.t.redis, harness.t.prefix, 10);
    expect(entry).toMatchObject({ action: 'refused', actorId: STRANGER.id, alertId: 'al_eve' });
  });

  it('dismiss asks for a reason with a select, then records the reason and updates the message', async () => {
    const harness = (h = await createSlackHarness());
    const ts = await harness.seed(reviewAlert('al_dis'));
    const click = interactionForm(buttonClick('rw_dismiss', 'al_dis', ts, MODERATOR, `${harness.hookUrl}/d1`));
    expect((await harness.send(click, sign(click, nowSec()))).status).toBe(200);
    await harness.slack.settle();
    expect((await storedAlert(harness, 'al_dis')).triage).toBeUndefined();

    const prompt = harness.responses[0]?.body as {
      blocks: { block_id: string; accessory: { type: string; options: { value: string }[] } }[];
    };
    const block = prompt.blocks[0];
    expect(block?.accessory.type).toBe('static_select');
    expect(block?.accessory.options.map((o) => o.value)).toContain('duplicate');

    const pick = interactionForm(reasonPick(block?.block_id ?? '', 'duplicate', MODERATOR, `${harness.hookUrl}/d2`));
    expect((await harness.send(pick, sign(pick, nowSec()))).status).toBe(200);
    await harness.slack.settle();

    expect((await storedAlert(harness, 'al_dis')).triage).toMatchObject({ status: 'dismissed', reason: 'duplicate', by: 'ana' });
    const label = JSON.parse((await harness.t.redis.hget(triageKeys(harness.t.prefix).labels(), 'al_dis')) ?? '{}') as {
      label?: boolean;
      reason?: string;
    };
    expect(label).toMatchObject({ label: false, reason: 'duplicate' });
    const shown = slackCurrentPayload(slackMessagesIn(harness.fake, TRIAGE_CHANNEL)[0] ?? { channel: '', ts: '', payload: {}, edits: [] });
    expect(contextText(shown)).toContain('Dismissed');
    expect(buttonIds(shown)).toEqual([]);
  });

  it('a second click on a decided alert is answered with who decided, without another update', async () => {
    const harness = (h = await createSlackHarness());
    const ts = await harness.seed(reviewAlert('al_twice'));
    for (const n of [1, 2]) {
      const form = interactionForm(buttonClick('rw_confirm', 'al_twice', ts, MODERATOR, `${harness.hookUrl}/${n}`));
      expect((await harness.send(form, sign(form, nowSec()))).status).toBe(200);
      await harness.slack.settle();
    }
    expect(slackMessagesIn(harness.fake, TRIAGE_CHANNEL)[0]?.edits).toHaveLength(1);
    expect(harness.responses.map((r) => r.path)).toEqual(['/hook/2']);
    expect(String(harness.responses[0]?.body.text)).toMatch(/Already handled: already confirmed by ana/);
  });
});

describe('setup', () => {
  it('refuses to start without an app token or a signing secret, naming both', async () => {
    const harness = (h = await createSlackHarness());
    await expect(
      startSlackTriage({
        botToken: harness.fake.token,
        service: harness.service,
        moderators: { discordRoles: [], slackUsers: [], escalationRoles: [] },
        log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      }),
    ).rejects.toThrow(/SLACK_APP_TOKEN .* signing secret/);
  });

  it('a click on an alert that is gone is answered, not dropped', async () => {
    const harness = (h = await createSlackHarness());
    const form = interactionForm(buttonClick('rw_claim', 'al_missing', '1700000000.000100', MODERATOR, `${harness.hookUrl}/gone`));
    expect((await harness.send(form, sign(form, nowSec()))).status).toBe(200);
    await harness.slack.settle();
    expect(String(harness.responses[0]?.body.text)).toContain('Alert al_missing is not in Redis');
    expect(harness.fake.requests.filter((r) => r.method === 'chat.update')).toEqual([]);
  });
});

describe('/refwatch slash command', () => {
  it('status answers the moderator ephemerally', async () => {
    const harness = (h = await createSlackHarness());
    const form = slashForm('status', MODERATOR, `${harness.hookUrl}/status`);
    expect((await harness.send(form, sign(form, nowSec()))).status).toBe(200);
    await harness.slack.settle();
    expect(harness.responses).toHaveLength(1);
    const body = harness.responses[0]?.body ?? {};
    expect(body.response_type).toBe('ephemeral');
    expect(String(body.text)).toContain('*Refoulement Watch status*');
    expect(String(body.text)).toContain('Sources: 1 total');
  });

  it('acks before slow work finishes, then answers', async () => {
    const slow = (s: TriageService): TriageService => ({
      ...s,
      status: async () => {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        return s.status();
      },
    });
    const harness = (h = await createSlackHarness(slow));
    const form = slashForm('status', MODERATOR, `${harness.hookUrl}/slow`);
    const res = await harness.send(form, sign(form, nowSec()));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    expect(harness.responses).toEqual([]);
    await harness.slack.settle();
    expect(String(harness.responses[0]?.body.text)).toContain('Refoulement Watch status');
  });

  it('refuses a non-moderator and audits it; help works for anyone', async () => {
    const harness = (h = await createSlackHarness());
    const form = slashForm('sources remove unhcr', STRANGER, `${harness.hookUrl}/x`);
    expect((await harness.send(form, sign(form, nowSec()))).status).toBe(200);
    const help = slashForm('', STRANGER, `${harness.hookUrl}/help`);
    expect((await harness.send(help, sign(help, nowSec()))).status).toBe(200);
    await harness.slack.settle();
    const byPath = Object.fromEntries(harness.responses.map((r) => [r.path, String(r.body.text)]));
    expect(byPath['/hook/x']).toContain('Only moderators');
    expect(byPath['/hook/help']).toContain('/refwatch sources add');
    const [entry] = await readAudit(harness.t.redis, harness.t.prefix, 10);
    expect(entry).toMatchObject({ action: 'refused', actorId: STRANGER.id, detail: '/refwatch sources remove unhcr' });
  });

  it('mute stores the term and says until when', async () => {
    const harness = (h = await createSlackHarness());
    const form = slashForm('mute border drill for 2h', MODERATOR, `${harness.hookUrl}/mute`);
    expect((await harness.send(form, sign(form, nowSec()))).status).toBe(200);
    await harness.slack.settle();
    expect(String(harness.responses[0]?.body.text)).toMatch(/^Muted “border drill” for 2h/);
    const until = Number(await harness.t.redis.hget(triageKeys(harness.t.prefix).mutes(), 'border drill'));
    expect(until - Date.now()).toBeGreaterThan(7_000_000);
  });
});
