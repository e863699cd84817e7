import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

/** "0.5.0" → [0, 5, 0] */
const parts = (version: string) => version.split('.').map((n) => Number.parseInt(n, 10));

describe('parser dependencies', () => {
  it('rss-parser runs on xml2js ≥ 0.5.0 (0.4.x allows prototype pollution, CVE-2023-0842)', () => {
    const rssParserDir = require.resolve('rss-parser/package.json').replace(/package\.json$/, '');
    const xml2js = createRequire(rssParserDir)('xml2js/package.json') as { version: string };
    const [major = 0, minor = 0] = parts(xml2js.version);
    expect(major > 0 || minor >= 5, `xml2js ${xml2js.version}`).toBe(true);
  });
});
