import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAudit } from '../../../src/triage/index.js';
import { handleCommand, handleComponent } from '../../../src/triage/discord/index.js';
import { ana, componentClick, createHarness, recordingResponder, reviewAlert, slashCommand, stranger, type Harness } from './harness.js';

type Json = Record<string, unknown>;
const OTHER_GUILD = '400000000000000777';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

describe('Discord permission checks on our side', () => {
  it('refuses Manage Server held in a foreign guild (anyone can invite a public bot to a server they own)', async () => {
    await h.seed(reviewAlert());
    const owner = { ...stranger, permissions: String(0x20) };
    const click = { ...componentClick('rw:claim:al_story1', owner), guild_id: OTHER_GUILD };
    const r = recordingResponder();
    await handleComponent(click, r, h.ctx);
    expect(String((r.calls.at(-1)?.body as Json).content)).toMatch(/Only moderators/);
    const stored = JSON.parse((await h.t.redis.get(`${h.t.prefix}:alert:al_story1`)) ?? 'null') as { triage?: unknown };
    expect(stored.triage).toBeUndefined();

    const command = { ...slashCommand(['sources', 'remove'], { id: 'x' }, owner), guild_id: OTHER_GUILD };
    const rc = recordingResponder();
    await handleCommand(command, rc, h.ctx);
    expect(String((rc.calls.at(-1)?.body as Json).content)).toMatch(/Only moderators/);
    expect((await readAudit(h.t.redis, h.t.prefix)).map((e) => e.action)).toEqual(['refused', 'refused']);
  });

  it('checks the moderator on page buttons too', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(30)}`).join('\n');
    const first = h.ctx.pages.open('Sources', long);
    const next = (first.components?.[0]?.components ?? [])
      .map((c) => (c as { custom_id?: string }).custom_id)
      .find((id) => id?.endsWith(':2'));
    expect(next).toMatch(/^rw:page:[0-9a-f]+:2$/);

    const refused = recordingResponder();
    await handleComponent(componentClick(next ?? '', stranger), refused, h.ctx);
    const shown = refused.calls.filter((c) => c.kind === 'editReply').map((c) => JSON.stringify(c.body));
    expect(shown.join('')).not.toContain('line 1');
    expect(shown.join('')).toMatch(/Only moderators/);

    const allowed = recordingResponder();
    await handleComponent(componentClick(next ?? '', ana), allowed, h.ctx);
    expect(JSON.stringify(allowed.calls.find((c) => c.kind === 'editReply')?.body)).toContain('page 2/');
  });
});
