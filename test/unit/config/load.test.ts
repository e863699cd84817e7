import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfigPath, interpolate, loadConfig, type Config } from '../../../src/config/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'refwatch-config-test-'));

/** Writes a config file and loads it over the built-in defaults. */
function load(yaml: string, env: Record<string, string> = {}, name = 'config.yaml'): Config {
  writeFileSync(path.join(dir, name), yaml);
  return loadConfig({ file: name, cwd: dir, env });
}

function loadError(yaml: string, env: Record<string, string> = {}): ConfigError {
  try {
    load(yaml, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('built-in defaults', () => {
  const config = loadConfig({ env: {} });

  it('finds config/default.yaml relative to the module', () => {
    expect(defaultConfigPath()).toMatch(/config[\\/]default\.yaml$/);
  });

  it('has the documented fetch and pipeline defaults', () => {
    expect(config.fetch).toMatchObject({
      allowPrivateNetworks: false,
      timeoutMs: 15_000,
      maxBytes: 5 * 1024 * 1024,
      maxRedirects: 5,
      perHostConcurrency: 2,
      articleMinChars: 400,
    });
    expect(config.fetch.userAgent).toMatch(/RefoulementWatch.*https?:\/\//);
    expect(config.pipeline).toEqual({ failuresBeforePause: 10, seenRetentionDays: 90, storyWindowDays: 7, pausedRetryMs: 86_400_000 });
    expect(config.rules.packs).toEqual(['nk-forced-repatriation']);
    expect(config.routes).toEqual([]);
    expect(config.file).toBeUndefined();
  });

  it('carries the core sources with sane intervals', () => {
    const ids = config.sources.map((source) => source.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'un-news-asia-pacific',
      'un-news-human-rights',
      'un-geneva-press',
      'ohchr-press',
      'hrw-news',
      'amnesty',
      'daily-nk-en',
      'daily-nk-ko',
      'yonhap-en-nk',
      'google-news-ko',
      'gdelt-artlist',
    ]) {
      expect(ids).toContain(id);
    }
    for (const source of config.sources) {
      expect(source.everyMs, source.id).toBeGreaterThanOrEqual(10 * 60_000);
      expect(source.origin).toBe('config');
      expect(source.name, source.id).toBeTruthy();
    }
    expect(config.sources.find((s) => s.id === 'yonhap-en-nk')?.timezone).toBe('Asia/Seoul');
    const ohchr = config.sources.find((s) => s.id === 'ohchr-press');
    expect(ohchr?.type).toBe('html');
    expect(ohchr?.select?.item).toBeTruthy();
  });
});

describe('merging a user file over the defaults', () => {
  it('merges objects key by key and replaces lists', () => {
    const config = load(`
fetch:
  timeout: 30s
sources:
  - { id: only-one, url: "https://example.org/feed.xml", every: 10m, lang: ko }
routes:
  - when: { decision: alert }
    to: ["discord:111111111111111111", "slack:C0123ALERTS"]
`);
    expect(config.fetch.timeoutMs).toBe(30_000);
    expect(config.fetch.maxRedirects).toBe(5); // untouched default
    expect(config.sources).toEqual([
      { id: 'only-one', type: 'rss', url: 'https://example.org/feed.xml', everyMs: 600_000, lang: 'ko', enabled: true, origin: 'config' },
    ]);
    expect(config.routes).toEqual([{ when: { decision: ['alert'] }, to: ['discord:111111111111111111', 'slack:C0123ALERTS'] }]);
    expect(config.rules.packs).toEqual(['nk-forced-repatriation']); // falls back to the built-in pack
    expect(config.file).toBe('config.yaml');
  });

  it('keeps the default sources when the user gives none, and an empty file is all defaults', () => {
    const defaults = loadConfig({ env: {} });
    expect(load('').sources).toEqual(defaults.sources);
    expect(load('pipeline: { failuresBeforePause: 3 }').sources).toEqual(defaults.sources);
  });

  it('resolves pack paths relative to the config file', () => {
    const config = load('rules: { packs: [nk-forced-repatriation, ./packs/extra.yaml] }');
    expect(config.rules.packs).toEqual(['nk-forced-repatriation', path.join(dir, 'packs', 'extra.yaml')]);
  });

  it('accepts a single target and a full route', () => {
    const config = load(`
routes:
  - when: { decision: [alert, review], minSeverity: high, tags: [un], sources: [hrw-news], rules: [nk-forced-repatriation] }
    to: console
    mentionRoles: ["444444444444444444"]
    digest: { at: "08:30", timezone: Asia/Seoul }
ops: { to: "slack:C0OPS" }
moderators: { discordRoles: ["333333333333333333"], slackUsers: [U0123MOD] }
`);
    expect(config.routes[0]).toEqual({
      when: { decision: ['alert', 'review'], minSeverity: 'high', tags: ['un'], sources: ['hrw-news'], rules: ['nk-forced-repatriation'] },
      to: ['console'],
      mentionRoles: ['444444444444444444'],
      digest: { at: '08:30', timezone: 'Asia/Seoul' },
    });
    expect(config.ops.to).toEqual(['slack:C0OPS']);
    expect(config.moderators).toEqual({ discordRoles: ['333333333333333333'], slackUsers: ['U0123MOD'], escalationRoles: [] });
  });
});

describe('${VAR} interpolation', () => {
  it('substitutes variables and defaults, typed like literals when unquoted', () => {
    const config = load(
      `
fetch:
  allowPrivateNetworks: \${ALLOW:-false}
  maxRedirects: \${REDIRECTS}
  userAgent: "bot (+\${CONTACT:-https://example.org/contact})"
sources:
  - id: feed              # unquoted \${…} only works in block style, not inside { } or [ ]
    url: \${FEED_URL}
    every: \${EVERY:-15m}
routes:
  - { to: ["discord:\${ALERTS_CHANNEL}"] }
`,
      { REDIRECTS: '3', FEED_URL: 'https://example.org/a.xml', ALERTS_CHANNEL: '111111111111111111', ALLOW: '' },
    );
    expect(config.fetch.allowPrivateNetworks).toBe(false);
    expect(config.fetch.maxRedirects).toBe(3);
    expect(config.fetch.userAgent).toBe('bot (+https://example.org/contact)');
    expect(config.sources[0]?.url).toBe('https://example.org/a.xml');
    expect(config.sources[0]?.everyMs).toBe(900_000);
    expect(config.routes[0]?.to).toEqual(['discord:111111111111111111']);
  });

  it('leaves $${VAR} literal and ignores comments', () => {
    expect(interpolate('a $${HOME} b', { HOME: '/root' }).value).toBe('a ${HOME} b');
    expect(load('# ${NOT_SET} in a comment\npipeline: { failuresBeforePause: 4 }').pipeline.failuresBeforePause).toBe(4);
  });

  it('names an unset variable and its line, and still reports the other problems', () => {
    const error = loadError(`
sources:
  - id: feed
    url: \${FEED_URL}
    every: 5 minutes
`);
    expect(error.issues).toHaveLength(2);
    expect(error.message).toContain('config.yaml:4 sources[0].url: ${FEED_URL} is not set');
    expect(error.message).toContain('config.yaml:5 sources[0].every: "5 minutes" is not a duration (use 10m, 1h …)');
  });

  it('rejects a malformed reference', () => {
    expect(loadError('fetch: { userAgent: "x ${lower-case} y" }').message).toMatch(
      /:1 fetch\.userAgent: \$\{lower-case\} is not a variable reference/,
    );
  });
});

describe('validation errors', () => {
  it('lists every problem with file, line and key path', () => {
    const error = loadError(`fetch:
  allowPrivateNetwork: true
sources:
  - id: a
    url: https://example.org/a.xml
    every: 10m
  - id: a
    type: html
    url: https://example.org/b
    evry: 10m
  - id: Bad_Id
    url: ftp://example.org/c
    every: 30s
    select: { item: li, title: a, link: a@href }
routes:
  - when: { decision: alertt }
    to: ["discord:123", "slack:C1"]
pipeline:
  pausedRetry: 3
`);
    const lines = error.message
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
    expect(lines).toEqual([
      'config.yaml:2 fetch.allowPrivateNetwork: unknown key "allowPrivateNetwork"; did you mean "allowPrivateNetworks"?',
      'config.yaml:7 sources[1].id: "a" is already used by sources[0]; ids must be unique',
      'config.yaml:7 sources[1]: html sources need `select: { item, title, link }` (CSS selectors)',
      'config.yaml:10 sources[1].evry: unknown key "evry"; did you mean "every"?',
      'config.yaml:11 sources[2].id: must be lower-case letters, digits and dashes (e.g. un-news-asia)',
      'config.yaml:12 sources[2].url: must be an absolute http(s) URL',
      'config.yaml:13 sources[2].every: "30s" is too often; poll at most once a minute (1m or more)',
      'config.yaml:14 sources[2].select: select is only used by html sources (set type: html or remove it)',
      expect.stringMatching(/^config\.yaml:16 routes\[0\]\.when\.decision\[0\]: .*"alert"/),
      expect.stringMatching(/^config\.yaml:17 routes\[0\]\.to\[0\]: is not a target \(use "discord:<17-20 digit channel id>"/),
      'config.yaml:19 pipeline.pausedRetry: must be a duration such as 10m, 1h or 90s',
    ]);
    expect(error.message.split('\n')[0]).toBe('Invalid configuration (11 problems):');
  });

  it('lists known keys when no key is close', () => {
    expect(loadError('routes:\n  - to: console\n    zzz: 1\n').message).toContain(
      'config.yaml:3 routes[0].zzz: unknown key "zzz" (known keys: when, to, mentionRoles, digest)',
    );
    expect(loadError('sourcse: []').message).toContain('config.yaml:1 sourcse: unknown key "sourcse"; did you mean "sources"?');
  });

  it('reports a missing required key at its parent', () => {
    expect(loadError('sources:\n  - id: x\n    every: 10m\n').message).toContain('config.yaml:2 sources[0].url: is required');
  });

  it('allows sub-minute polling only with allowPrivateNetworks (tests)', () => {
    const config = load('fetch: { allowPrivateNetworks: true }\nsources: [{ id: local, url: "http://127.0.0.1:9/feed", every: 1s }]');
    expect(config.sources[0]?.everyMs).toBe(1000);
  });

  it('checks time zones, digest times and threshold order', () => {
    const error = loadError(`
sources: [{ id: x, url: "https://example.org/", timezone: Mars/Olympus }]
routes: [{ to: console, digest: { at: "25:00", timezone: UTC } }]
rules: { thresholds: { alert: 5, review: 9 } }
`);
    expect(error.message).toContain('config.yaml:2 sources[0].timezone: is not an IANA time zone');
    expect(error.message).toContain('config.yaml:3 routes[0].digest.at: must be a time "HH:MM"');
    expect(error.message).toContain('config.yaml:4 rules.thresholds.review: review threshold (9) is above the alert threshold (5)');
  });

  it('reports YAML syntax errors with their line', () => {
    const error = loadError('fetch:\n  timeout: 10s\n  timeout: 20s\n');
    expect(error.issues[0]).toMatchObject({ file: 'config.yaml', line: 3, path: '(syntax)' });
    // One mistake in a flow map cascades into a dozen parser errors: only the first is useful.
    const cascade = loadError('sources:\n  - { id: a, every: ${EVERY} }\nroutes: []\n');
    expect(cascade.issues).toHaveLength(1);
    expect(cascade.issues[0]).toMatchObject({ line: 2, path: '(syntax)' });
    expect(cascade.issues[0]?.message).toMatch(/quote/);
  });

  it('rejects a file that is not a mapping, and a missing file', () => {
    expect(loadError('- just\n- a list\n').message).toContain('config.yaml:1 (top level): the config must be a mapping');
    expect(() => loadConfig({ file: 'nope.yaml', cwd: dir, env: {} })).toThrow(/nope\.yaml.*no such file/s);
  });

  it('blames the built-in file for a problem that lives there', () => {
    const defaults = path.join(dir, 'defaults.yaml');
    writeFileSync(
      defaults,
      `fetch: { allowPrivateNetworks: false, timeout: 15s, maxBytes: 5MiB, maxRedirects: 5, userAgent: ua, perHostConcurrency: 2, articleMinChars: oops }
sources: []
rules: { packs: [p] }
routes: []
ops: { to: [] }
moderators: { discordRoles: [], slackUsers: [], escalationRoles: [] }
pipeline: { failuresBeforePause: 10, seenRetentionDays: 90, storyWindowDays: 7, pausedRetry: 24h }
`,
    );
    writeFileSync(path.join(dir, 'user.yaml'), 'fetch: { timeout: 20s }\n');
    expect(() => loadConfig({ file: 'user.yaml', cwd: dir, env: {}, defaultsFile: defaults })).toThrow(
      `${defaults}:1 fetch.articleMinChars:`,
    );
  });
});

describe('shipped example files', () => {
  const root = path.resolve(path.dirname(defaultConfigPath()), '..');

  it('config/example.yaml loads, with and without its variables set', () => {
    const file = path.join(root, 'config', 'example.yaml');
    const plain = loadConfig({ file, env: {} });
    expect(plain.routes).toHaveLength(4);
    expect(plain.routes[0]?.to).toEqual(['discord:111111111111111111', 'slack:C0123ALERTS']);
    expect(plain.moderators.slackUsers).toEqual(['U0123MOD']);
    expect(plain.ops.to).toEqual(['slack:C0123OPS']);
    const set = loadConfig({ file, env: { DISCORD_ALERTS_CHANNEL: '999999999999999999', CONTACT_URL: 'mailto:ops@example.org' } });
    expect(set.routes[0]?.to[0]).toBe('discord:999999999999999999');
    expect(set.fetch.userAgent).toContain('mailto:ops@example.org');
  });

  it('.env.example passes loadEnv', async () => {
    const { readFileSync } = await import('node:fs');
    const { loadEnv } = await import('../../../src/config/index.js');
    const vars = Object.fromEntries(
      readFileSync(path.join(root, '.env.example'), 'utf8')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(loadEnv(vars)).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', httpPort: 8080, discordToken: undefined });
  });
});

describe('fetch.allowAddresses', () => {
  it('takes single addresses and CIDR ranges, and names a bad entry', () => {
    expect(load('fetch:\n  allowAddresses: ["10.1.2.3", "10.20.0.0/16"]\n').fetch.allowAddresses).toEqual(['10.1.2.3', '10.20.0.0/16']);
    expect(load('fetch: {}\n').fetch.allowAddresses).toBeUndefined();
    expect(loadError('fetch:\n  allowAddresses: ["intranet.local"]\n').message).toMatch(
      /config\.yaml:2 fetch\.allowAddresses\[0\]: must be an IP address or CIDR range/,
    );
  });
});
