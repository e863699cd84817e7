/**
 * `refwatch scan` against a local feed server (127.0.0.1 only). No Redis is needed for
 * --dry-run; this lives under integration because it opens sockets.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanLiveRequest } from '../../../src/cli/io.js';
import { createFeedServer, type FeedServer } from '../../fakes/feed-server.js';
import { fixture, jsonLines, run } from '../../unit/cli/run-cli.js';

function rss(items: { title: string; link: string; description: string }[]): string {
  const body = items
    .map(
      (item) =>
        `<item><title>${item.title}</title><link>${item.link}</link><guid>${item.link}</guid><description>${item.description}</description><pubDate>Tue, 06 Jan 2026 09:00:00 GMT</pubDate></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed</title><link>https://example.org/</link><description>t</description>${body}</channel></rss>`;
}

let server: FeedServer;
let dir: string;

beforeAll(async () => {
  server = await createFeedServer();
  server.route('/good.xml', {
    headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
    body: rss([
      {
        title: 'China forcibly repatriates North Korean defectors',
        link: 'https://example.org/a',
        description: 'About 200 people were sent back.',
      },
      { title: 'Defectors meet in Seoul', link: 'https://example.org/b', description: 'A gathering of former refugees.' },
      { title: 'Stock markets rise', link: 'https://example.org/c', description: 'Shares rose.' },
    ]),
  });
  server.route('/broken.xml', { status: 500, body: 'internal error' });
  server.route('/garbage.xml', { headers: { 'content-type': 'text/plain' }, body: 'this is not a feed at all' });

  dir = mkdtempSync(path.join(tmpdir(), 'refwatch-scan-'));
  writeFileSync(
    path.join(dir, 'config.yaml'),
    `fetch:
  allowPrivateNetworks: true
  timeout: 5s
rules:
  packs: ["${fixture('test-pack.yaml')}"]
sources:
  - { id: good, url: "${server.url}/good.xml", every: 1m }
  - { id: broken, url: "${server.url}/broken.xml", every: 1m }
  - { id: garbage, url: "${server.url}/garbage.xml", every: 1m }
  - { id: off, url: "${server.url}/good.xml", every: 1m, enabled: false }
`,
  );
});

afterAll(async () => {
  await server.close();
});

describe('refwatch scan --dry-run', () => {
  it('--json: one line per source, failures included, exit 1 when any failed', async () => {
    const result = await run(['scan', '--dry-run', '--json', '--config', 'config.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    const lines = jsonLines(result.stdout);
    expect(lines).toHaveLength(3); // the disabled source is skipped
    expect(lines[0]).toEqual({ source: 'good', ok: true, items: 3, matched: 2, error: null });
    expect(lines[1]).toMatchObject({ source: 'broken', ok: false, items: 0, matched: 0 });
    expect(lines[1]?.error).toMatch(/500/);
    expect(lines[2]).toMatchObject({ source: 'garbage', ok: false, items: 0, matched: 0 });
    expect(lines[2]?.error).toMatch(/^parse: /);
    expect(result.stderr).toContain('2 of 3 source(s) failed');
  });

  it('prints a line per source, then what would alert and what would go to review', async () => {
    const result = await run(['scan', '--dry-run', '--config', 'config.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out).toMatch(/^ok +good +3 items, 2 matched$/m);
    expect(out).toMatch(/^FAIL +broken +.*500/m);
    expect(out).toMatch(/^FAIL +garbage +parse: /m);
    expect(out).toMatch(
      /would alert: 1\n {2}\[high \d+\] China forcibly repatriates North Korean defectors\n {4}https:\/\/example\.org\/a +\(good/,
    );
    expect(out).toMatch(/would go to review: 1\n {2}\[\w+ \d+\] Defectors meet in Seoul/);
  });

  it('--source scans one source, even a disabled one, and exits 0 when it is fine', async () => {
    const result = await run(['scan', '--dry-run', '--json', '--source', 'off', '--config', 'config.yaml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout)).toEqual([{ source: 'off', ok: true, items: 3, matched: 2, error: null }]);
    const unknown = await run(['scan', '--dry-run', '--source', 'nope', '--config', 'config.yaml'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no source "nope" in the config; known: good, broken, garbage, off');
  });
});

describe('refwatch scan without --dry-run', () => {
  it('says posting needs the pipeline and behaves like --dry-run when no live hook is wired', async () => {
    const result = await run(['scan', '--json', '--source', 'good', '--config', 'config.yaml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('posting scans need the pipeline');
    expect(jsonLines(result.stdout)).toHaveLength(1);
  });

  it('hands the selected sources to the live hook and returns its exit code', async () => {
    const calls: ScanLiveRequest[] = [];
    const result = await run(['scan', '--source', 'good', '--config', 'config.yaml'], {
      cwd: dir,
      runScanLive: async (request) => {
        calls.push(request);
        return 1;
      },
    });
    expect(result.code).toBe(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.sources.map((source) => source.id)).toEqual(['good']);
    expect(calls[0]?.json).toBe(false);
    expect(server.requests.filter((request) => request.path === '/good.xml').length).toBeGreaterThan(0);
  });
});
