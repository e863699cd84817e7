/** `refwatch audit` and `refwatch export-labels` against real Redis, and `refwatch eval` on the export. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/domain/index.js';
import { labelFor, triageKeys, type AuditEntry } from '../../../src/triage/index.js';
import { createTestRedis, testRedisUrl, type TestRedis } from '../../helpers/redis.js';
import { jsonLines, run } from '../../unit/cli/run-cli.js';

let t: TestRedis;
let env: Record<string, string>;

beforeEach(() => {
  t = createTestRedis();
  env = { REDIS_URL: testRedisUrl(), REFWATCH_PREFIX: t.prefix };
});

afterEach(async () => {
  await t.cleanup();
});

const T0 = Date.parse('2026-08-01T09:00:00Z');

/** Writes audit entries with stream ids one minute apart from T0, so --since has known edges. */
async function writeAudit(entries: Partial<AuditEntry>[]): Promise<void> {
  for (const [i, e] of entries.entries()) {
    const at = new Date(T0 + i * 60_000).toISOString();
    const full: AuditEntry = {
      at,
      actor: '',
      actorId: '',
      platform: 'slack',
      action: 'confirm',
      alertId: '',
      reason: '',
      detail: '',
      ...e,
    };
    await t.redis.xadd(triageKeys(t.prefix).audit(), `${T0 + i * 60_000}-0`, ...Object.entries(full).flat());
  }
}

function alert(id: string, title: string, snippet: string): Alert {
  return {
    id,
    storyId: `s-${id}`,
    decision: 'review',
    severity: 'high',
    score: 8,
    title,
    url: `https://news.example.org/${id}`,
    sourceId: 'example',
    sourceName: 'Example',
    discoveredAt: '2026-08-01T08:00:00.000Z',
    matches: [{ rule: 'nk/core-en', term: 'forcibly repatriated', field: 'text', snippet, weight: 4 }],
    rules: [{ rule: 'nk/core-en', pack: 'nk', score: 8, why: ['text: forcibly repatriated (+4)'] }],
    entities: { people: [], places: [] },
    alsoReportedBy: [],
  };
}

describe('refwatch audit', () => {
  beforeEach(async () => {
    await writeAudit([
      { actor: 'ana', actorId: 'U1', action: 'confirm', alertId: 'al_1' },
      { actor: 'ben', actorId: '600000000000000002', platform: 'discord', action: 'dismiss', alertId: 'al_2', reason: 'duplicate' },
      { actor: 'eve\u001b[31m', actorId: 'U9', action: 'refused', detail: '/refwatch sources remove unhcr' },
    ]);
  });

  it('prints a table, oldest first, with readable columns', async () => {
    const result = await run(['audit'], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+ACTOR\s+PLATFORM\s+ACTION\s+ALERT\s+REASON$/);
    expect(lines[1]).toMatch(/^2026-08-01 09:00:00\s+ana\s+slack\s+confirm\s+al_1\s+-$/);
    expect(lines[2]).toMatch(/^2026-08-01 09:01:00\s+ben\s+discord\s+dismiss\s+al_2\s+duplicate$/);
    expect(lines[3]).toMatch(/refused\s+-\s+\/refwatch sources remove unhcr$/);
    expect(result.stdout).not.toContain('\u001b'); // a chat name cannot drive the terminal
    // Columns line up: ACTION starts at the same offset on every line.
    const col = lines[0]?.indexOf('ACTION');
    for (const line of lines.slice(1)) expect(line.slice(col, col! + 3)).toMatch(/con|dis|ref/);
  });

  it('--limit keeps the newest entries, --since cuts older ones, --json gives objects', async () => {
    const limited = jsonLines((await run(['audit', '--json', '--limit', '2'], { env })).stdout);
    expect(limited.map((r) => r.alertId)).toEqual(['al_2', '']);
    const since = jsonLines((await run(['audit', '--json', '--since', '2026-08-01T09:01:00'], { env })).stdout);
    expect(since.map((r) => r.actor)).toEqual(['ben', 'eve\u001b[31m']);
    expect(since[0]).toMatchObject({ platform: 'discord', action: 'dismiss', reason: 'duplicate', streamId: `${T0 + 60_000}-0` });
  });

  it('says so when the stream is empty', async () => {
    const result = await run(['audit'], { env: { ...env, REFWATCH_PREFIX: `${t.prefix}-empty` } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`No audit entries in ${t.prefix}-empty:audit`);
  });

  it('rejects a bad --since or --limit with usage exit code 2', async () => {
    expect((await run(['audit', '--since', 'yesterday'], { env })).code).toBe(2);
    expect((await run(['audit', '--limit', '0'], { env })).code).toBe(2);
  });
});

describe('refwatch export-labels', () => {
  it('writes labelled JSON Lines that refwatch eval reads', async () => {
    const yes = alert(
      'al_yes',
      'China forcibly repatriates North Korean defectors',
      'Some 60 North Korean defectors were forcibly repatriated from China',
    );
    const no = alert('al_no', 'Stock markets rise in Seoul', 'markets rose');
    const key = triageKeys(t.prefix).labels();
    await t.redis.hset(key, 'al_yes', JSON.stringify(labelFor(yes, true, 'ana', '2026-08-01T10:00:00.000Z')));
    await t.redis.hset(key, 'al_no', JSON.stringify(labelFor(no, false, 'ben', '2026-08-01T11:00:00.000Z', 'off-topic')));
    await t.redis.hset(key, 'junk', 'not json');

    const dir = mkdtempSync(path.join(tmpdir(), 'refwatch-labels-'));
    const result = await run(['export-labels', '--out', 'labels.jsonl'], { env, cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Wrote 2 label(s): 1 confirmed (label true), 1 dismissed (label false) to labels.jsonl');
    const lines = jsonLines(readFileSync(path.join(dir, 'labels.jsonl'), 'utf8'));
    expect(lines).toEqual([
      {
        id: 'al_yes',
        title: yes.title,
        text: yes.matches[0]?.snippet,
        url: 'https://news.example.org/al_yes',
        source: 'example',
        label: true,
        by: 'ana',
        at: '2026-08-01T10:00:00.000Z',
        decision: 'review',
        score: 8,
        rules: ['nk/core-en'],
        terms: ['forcibly repatriated'],
      },
      expect.objectContaining({ id: 'al_no', label: false, reason: 'off-topic', by: 'ben' }),
    ]);

    const evaluated = await run(['eval', 'labels.jsonl', '--json'], { cwd: dir });
    expect(evaluated.stderr).toBe('');
    expect(evaluated.code).toBe(0);
    expect(jsonLines(evaluated.stdout)[0]).toMatchObject({ pass: true });
  });

  it('prints to stdout without --out and warns when there are no labels', async () => {
    const result = await run(['export-labels'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`No labels in ${t.prefix}:labels yet`);
  });
});

describe('when Redis is down', () => {
  it('both commands fail fast with a message naming the URL', async () => {
    const down = { REDIS_URL: 'redis://:secret@127.0.0.1:1', REFWATCH_PREFIX: 'x' };
    for (const argv of [['audit'], ['export-labels']]) {
      const started = Date.now();
      const result = await run(argv, { env: down });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`refwatch ${argv[0]}: cannot reach Redis at redis://`);
      expect(result.stderr).toContain('127.0.0.1:1');
      expect(result.stderr).not.toContain('secret');
    }
  });

  it('--help shows an example', async () => {
    for (const command of ['audit', 'export-labels']) {
      const result = await run([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`$ `);
      expect(result.stdout).toContain('Example:');
    }
  });
});
