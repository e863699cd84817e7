import { describe, expect, it } from 'vitest';
import type { Source } from '../../../src/domain/index.js';
import { parseFeed } from '../../../src/sources/parse/index.js';

const SOURCE: Source = { id: 'prologue', type: 'rss', url: 'https://feeds.example.org/feed.xml', everyMs: 900_000 };

const ATOM_BODY =
  '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>' +
  '<entry><id>urn:x:1</id><title>Forced return</title><link href="https://example.org/a"/></entry></feed>';
const RSS_BODY = '<rss version="2.0"><channel><title>t</title><item><title>Forced return</title><guid>g1</guid></item></channel></rss>';

// A long run of prologue nodes used to make the feed-root check backtrack exponentially
// (about 2x per extra node): 24 nodes took seconds, 40 would block a worker for hours.
describe('feed prologue handling', () => {
  it.each([
    ['comments before an Atom root', '<!--a-->'.repeat(24), ATOM_BODY, 1],
    ['processing instructions before an Atom root', '<?pi x?>'.repeat(24), ATOM_BODY, 1],
    ['comments before an RSS root', '<!--a-->'.repeat(24), RSS_BODY, 1],
    ['comments before a channel-less RSS root', '<!--a-->'.repeat(24), '<rss version="2.0"></rss>', 0],
  ])('%s parse in linear time', async (_name, prologue, body, count) => {
    const started = performance.now();
    const result = await parseFeed(`<?xml version="1.0"?>${prologue}${body}`, SOURCE);
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.kind).toBe('ok');
    if (result.kind === 'ok') expect(result.items).toHaveLength(count);
  });

  it('still recognises a channel-less RSS root behind a DOCTYPE with an internal subset', async () => {
    const result = await parseFeed('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "b">]>\n<rss version="2.0"></rss>', SOURCE);
    expect(result).toMatchObject({ kind: 'ok', items: [], warnings: [expect.stringMatching(/no <channel>/)] });
  });
});
