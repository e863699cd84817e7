/** `refwatch scan` text output must not pass feed-controlled terminal escapes through (local feed server only). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedServer, type FeedServer } from '../../fakes/feed-server.js';
import { fixture, jsonLines, run } from '../../unit/cli/run-cli.js';

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let server: FeedServer;
let dir: string;

beforeAll(async () => {
  server = await createFeedServer();
  // Character references inside CDATA pass the XML parser as text and are decoded by the HTML-to-text step.
  const title = 'China forcibly repatriates North Korean defectors &#x1b;]0;owned&#x07;&#x1b;[2J&#x1b;[31m &#x202e;x';
  server.route('/hostile.xml', {
    headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
    body:
      `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title><![CDATA[${title}]]></title><link>https://example.org/a</link>` +
      '<description>About 200 people were sent back.</description></item></channel></rss>',
  });
  dir = mkdtempSync(path.join(tmpdir(), 'refwatch-scan-term-'));
  writeFileSync(
    path.join(dir, 'config.yaml'),
    `fetch:
  allowPrivateNetworks: true
  timeout: 5s
rules:
  packs: ["${fixture('test-pack.yaml')}"]
sources:
  - { id: hostile, url: "${server.url}/hostile.xml", every: 1m }
`,
  );
});

afterAll(async () => {
  await server.close();
});

describe('refwatch scan --dry-run with hostile feed text', () => {
  it('prints flagged titles without control characters; --json keeps them JSON-escaped', async () => {
    const result = await run(['scan', '--dry-run', '--config', 'config.yaml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('China forcibly repatriates North Korean defectors');
    expect(result.stdout).not.toMatch(CONTROL);
    const json = await run(['scan', '--dry-run', '--json', '--config', 'config.yaml'], { cwd: dir });
    expect(jsonLines(json.stdout)[0]).toMatchObject({ source: 'hostile', ok: true, matched: 1 });
  });
});
