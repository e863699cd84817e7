import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/domain/index.js';
import { createMuteStore, readAudit, readLabels } from '../../../src/triage/index.js';
import { handleCommand, handleComponent } from '../../../src/triage/discord/index.js';
import { discordCurrentPayload, discordMessagesIn } from '../../fakes/discord-api.js';
import {
  ALERT_CHANNEL,
  ESCALATION_ROLE,
  TRIAGE_CHANNEL,
  ana,
  ben,
  componentClick,
  createHarness,
  recordingResponder,
  reviewAlert,
  serveText,
  slashCommand,
  stranger,
  type Harness,
} from './harness.js';

type Json = Record<string, unknown>;
const customIds = (payload: Json): string[] =>
  ((payload.components ?? []) as Json[]).flatMap((row) => ((row.components ?? []) as Json[]).map((c) => String(c.custom_id)));
const triageField = (payload: Json): string =>
  String((((payload.embeds as Json[])[0]?.fields ?? []) as Json[]).find((f) => f.name === 'Triage')?.value ?? '');

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

async function stored(id: string): Promise<Alert> {
  return JSON.parse((await h.t.redis.get(`${h.t.prefix}:alert:${id}`)) ?? 'null') as Alert;
}

describe('Discord triage buttons', () => {
  it('confirm promotes a review item, posts it to the alert route once, and edits the triage message', async () => {
    await h.seed(reviewAlert());
    const r = recordingResponder();
    await handleComponent(componentClick('rw:confirm:al_story1', ana), r, h.ctx);
    expect(r.calls[0]?.kind).toBe('deferUpdate');
    const alert = await stored('al_story1');
    expect(alert.decision).toBe('alert');
    expect(alert.triage).toMatchObject({ status: 'confirmed', by: 'Ana' });
    expect(await h.drain()).toEqual(expect.arrayContaining(['posted', 'edited']));

    // Second click (same moderator) is refused and posts nothing more.
    const again = recordingResponder();
    await handleComponent(componentClick('rw:confirm:al_story1', ana), again, h.ctx);
    expect(again.calls.find((c) => c.kind === 'followUp')?.body).toMatchObject({
      ephemeral: true,
      content: expect.stringMatching(/Already handled: already confirmed by Ana/),
    });
    await h.drain();
    expect(discordMessagesIn(h.fake, ALERT_CHANNEL)).toHaveLength(1);

    const [triageMsg] = discordMessagesIn(h.fake, TRIAGE_CHANNEL);
    const shown = discordCurrentPayload(triageMsg!);
    // Confirm is final: no confirm/dismiss/claim left. (notify's table still offers escalate on confirmed.)
    expect(customIds(shown).filter((id) => !id.startsWith('rw:escalate:'))).toEqual([]);
    expect(triageField(shown)).toMatch(/Confirmed/);
    expect(triageField(shown)).toMatch(/Ana/);
    const labels = await readLabels(h.t.redis, h.t.prefix);
    expect(labels).toMatchObject([{ id: 'al_story1', label: true, by: 'Ana', decision: 'review', rules: ['nk/core-en'] }]);
    expect((await readAudit(h.t.redis, h.t.prefix)).map((e) => e.action)).toEqual(['confirm']);
  });

  it('two moderators confirming at once: exactly one wins, one post', async () => {
    await h.seed(reviewAlert());
    const [ra, rb] = [recordingResponder(), recordingResponder()];
    await Promise.all([
      handleComponent(componentClick('rw:confirm:al_story1', ana), ra, h.ctx),
      handleComponent(componentClick('rw:confirm:al_story1', ben), rb, h.ctx),
    ]);
    const texts = [ra, rb].map((r) => String((r.calls.find((c) => c.kind === 'followUp')?.body as Json).content));
    expect(texts.filter((t) => t.startsWith('Already handled'))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('Confirmed by'))).toHaveLength(1);
    await h.drain();
    expect(discordMessagesIn(h.fake, ALERT_CHANNEL)).toHaveLength(1);
    expect((await readAudit(h.t.redis, h.t.prefix)).filter((e) => e.action === 'confirm')).toHaveLength(1);
  });

  it('dismiss shows a reason select; the reason dismisses, labels false and removes the buttons', async () => {
    await h.seed(reviewAlert());
    const r1 = recordingResponder();
    await handleComponent(componentClick('rw:dismiss:al_story1', ana), r1, h.ctx);
    expect(r1.calls).toHaveLength(1);
    expect(r1.calls[0]).toMatchObject({ kind: 'showSelect', body: { customId: 'rw:dismiss-reason:al_story1' } });
    expect(((r1.calls[0]?.body as Json).options as Json[]).map((o) => o.value)).toContain('old-news');
    expect((await stored('al_story1')).triage).toBeUndefined();

    const r2 = recordingResponder();
    await handleComponent(componentClick('rw:dismiss-reason:al_story1', ana, ['old-news']), r2, h.ctx);
    expect(r2.calls.map((c) => c.kind)).toEqual(['deferUpdate', 'editReply']);
    expect((await stored('al_story1')).triage).toMatchObject({ status: 'dismissed', reason: 'old-news', by: 'Ana' });
    expect(await h.drain()).toEqual(['edited']);
    const shown = discordCurrentPayload(discordMessagesIn(h.fake, TRIAGE_CHANNEL)[0]!);
    expect(customIds(shown)).toEqual([]);
    expect(triageField(shown)).toMatch(/Dismissed/);
    expect(discordMessagesIn(h.fake, ALERT_CHANNEL)).toHaveLength(0);
    expect(await readLabels(h.t.redis, h.t.prefix)).toMatchObject([{ label: false, reason: 'old-news' }]);
  });

  it('claim leaves confirm/dismiss/escalate; escalate pings only the escalation role in a follow-up', async () => {
    await h.seed(reviewAlert());
    await handleComponent(componentClick('rw:claim:al_story1', ben), recordingResponder(), h.ctx);
    await h.drain();
    let shown = discordCurrentPayload(discordMessagesIn(h.fake, TRIAGE_CHANNEL)[0]!);
    expect(customIds(shown)).toEqual(['rw:confirm:al_story1', 'rw:dismiss:al_story1', 'rw:escalate:al_story1']);

    const r = recordingResponder();
    await handleComponent(componentClick('rw:escalate:al_story1', ben), r, h.ctx);
    const ping = r.calls
      .filter((c) => c.kind === 'followUp')
      .map((c) => c.body as Json)
      .find((b) => b.mentionRoleIds);
    expect(ping).toMatchObject({ mentionRoleIds: [ESCALATION_ROLE] });
    expect(ping?.ephemeral).toBeUndefined();
    await h.drain();
    shown = discordCurrentPayload(discordMessagesIn(h.fake, TRIAGE_CHANNEL)[0]!);
    expect(customIds(shown)).toEqual(['rw:confirm:al_story1', 'rw:dismiss:al_story1']);
    expect((await stored('al_story1')).triage).toMatchObject({ status: 'escalated', claimedBy: 'Ben' });
  });

  it('refuses non-moderators (ephemeral), audits the refusal and changes nothing', async () => {
    await h.seed(reviewAlert());
    const r = recordingResponder();
    await handleComponent(componentClick('rw:confirm:al_story1', stranger), r, h.ctx);
    expect(r.calls.map((c) => c.kind)).toEqual(['deferReply', 'editReply']);
    expect(r.calls[0]?.body).toEqual({ ephemeral: true });
    expect((await stored('al_story1')).triage).toBeUndefined();
    expect(await readAudit(h.t.redis, h.t.prefix)).toMatchObject([{ action: 'refused', actor: 'Eve', alertId: 'al_story1' }]);
    // Manage Server (0x20) alone is enough.
    await handleComponent(componentClick('rw:claim:al_story1', { ...stranger, permissions: '32' }), recordingResponder(), h.ctx);
    expect((await stored('al_story1')).triage?.status).toBe('claimed');
  });
});

describe('/refwatch commands', () => {
  it('refuses commands from non-moderators', async () => {
    const r = recordingResponder();
    await handleCommand(slashCommand(['status'], {}, stranger), r, h.ctx);
    expect(String((r.calls.at(-1)?.body as Json).content)).toMatch(/Only moderators/);
  });

  it('sources add refuses private addresses (guard on) and unparseable pages', async () => {
    const feed = await serveText('<html><body>hello</body></html>', 'text/html');
    try {
      const r = recordingResponder();
      await handleCommand(slashCommand(['sources', 'add'], { url: feed.url }, ana), r, h.ctx);
      expect(JSON.stringify(r.calls.at(-1)?.body)).toMatch(/Refused/);
      const open = await createHarness({ allowPrivateNetworks: true });
      try {
        const r2 = recordingResponder();
        await handleCommand(slashCommand(['sources', 'add'], { url: feed.url }, ana), r2, open.ctx);
        expect(JSON.stringify(r2.calls.at(-1)?.body)).toMatch(/does not parse/);
        expect((await open.service.sources.list()).map((e) => e.source.id)).toEqual(['unhcr']);
        const r3 = recordingResponder();
        await handleCommand(slashCommand(['sources', 'add'], { url: 'ftp://example.org/x' }, ana), r3, open.ctx);
        expect(JSON.stringify(r3.calls.at(-1)?.body)).toMatch(/Only http and https/);
      } finally {
        await open.close();
      }
    } finally {
      feed.server.close();
    }
  });

  it('sources add saves and schedules a parseable feed and reports what it would flag; config sources are read-only', async () => {
    const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Test feed</title><link>https://x.example</link>
      <item><title>Defectors repatriated</title><link>https://x.example/1</link><guid>1</guid></item>
      <item><title>Weather</title><link>https://x.example/2</link><guid>2</guid></item></channel></rss>`;
    const feed = await serveText(rss, 'application/rss+xml');
    const open = await createHarness({ allowPrivateNetworks: true });
    try {
      const result = await open.service.sources.add(feed.url, { id: 'test-feed', every: '30m' });
      expect(result).toMatchObject({ ok: true, itemCount: 2, flagged: [{ title: 'Defectors repatriated', decision: 'review' }] });
      expect(open.scheduled.map((s) => [s.id, s.everyMs])).toEqual([['test-feed', 1_800_000]]);
      expect((await open.service.sources.list()).find((e) => e.source.id === 'test-feed')?.origin).toBe('chat');
      const r = recordingResponder();
      await handleCommand(slashCommand(['sources', 'remove'], { id: 'unhcr' }, ana), r, open.ctx);
      expect(String((r.calls.at(-1)?.body as Json).content)).toMatch(/config file and is read-only/);
    } finally {
      await open.close();
      feed.server.close();
    }
  });

  it('mute stores the term with its expiry in the mute store', async () => {
    const r = recordingResponder();
    await handleCommand(slashCommand(['mute'], { term: '  Kim Jong Un ', for: '2h' }, ana), r, h.ctx);
    expect(String((r.calls.at(-1)?.body as Json).content)).toMatch(/Muted “kim jong un”/);
    const mutes = createMuteStore(h.t.redis, { prefix: h.t.prefix });
    expect(await mutes.active(Date.now())).toEqual(['kim jong un']);
    expect(await mutes.active(Date.now() + 3 * 3_600_000)).toEqual([]);
  });

  it('stats counts alerts, confirms, dismissals and precision per rule', async () => {
    await h.seed(reviewAlert('al_a'));
    await h.seed(reviewAlert('al_b'));
    await h.seed({ ...reviewAlert('al_c'), rules: [{ rule: 'nk/other', pack: 'nk', score: 5, why: [] }] });
    await h.service.act('al_a', 'confirm', { id: '1', name: 'Ana', platform: 'discord' });
    await h.service.act('al_b', 'dismiss', { id: '1', name: 'Ana', platform: 'discord' }, 'old-news');
    await h.service.act('al_c', 'dismiss', { id: '1', name: 'Ana', platform: 'discord' }, 'off-topic');
    const stats = await h.service.stats(7);
    expect(stats.totals).toEqual({ alerts: 3, confirmed: 1, dismissed: 2, precision: 1 / 3 });
    expect(stats.perRule).toEqual([
      { rule: 'nk/core-en', confirmed: 1, dismissed: 1, precision: 0.5 },
      { rule: 'nk/other', confirmed: 0, dismissed: 1, precision: 0 },
    ]);
    expect(stats.dismissTerms).toEqual([{ term: 'north korean defectors', count: 2 }]);
    expect(stats.alertsPerDay).toHaveLength(7);
    const r = recordingResponder();
    await handleCommand(slashCommand(['stats'], { days: 7 }, ana), r, h.ctx);
    expect(JSON.stringify(r.calls.at(-1)?.body)).toMatch(/precision 33%/);
  });
});
