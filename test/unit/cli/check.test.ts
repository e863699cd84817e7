import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toArticle } from '../../../src/cli/commands/check.js';
import { fixture, run } from './run-cli.js';

const pack = fixture('test-pack.yaml');

describe('refwatch check', () => {
  it('explains an HTML article: decision, score, rules, terms with snippets, people, severity', async () => {
    const result = await run(['check', fixture('article.html'), '--packs', pack]);
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain('decision: ALERT');
    expect(out).toMatch(/^score: +\d+/m);
    expect(out).toContain('severity: high'); // 200 people ≥ 100 raises it
    expect(out).toMatch(/cli-test\/forced-return +\+\d+/);
    expect(out).toContain('"forcibly repatriat*" in text (cli-test/forced-return, +10)');
    expect(out).toMatch(/forcibly repatriated about 200 North Korean/);
    expect(out).toMatch(/people: .*200/);
    expect(out).not.toContain('all rights reserved'); // the footer is not article text
  });

  it('reads plain text (first line is the title) and JSON items', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'refwatch-check-'));
    writeFileSync(path.join(dir, 'note.txt'), 'Weather update\n\nRain is expected tomorrow.\n');
    writeFileSync(path.join(dir, 'item.json'), JSON.stringify({ title: '탈북민 강제북송 우려', text: '', lang: 'ko' }));
    const text = await run(['check', 'note.txt', '--packs', pack], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('title: Weather update');
    expect(text.stdout).toContain('decision: IGNORE');
    expect(text.stdout).toContain('matched terms: none');
    const json = await run(['check', 'item.json', '--packs', pack], { cwd: dir });
    expect(json.stdout).toContain('decision: ALERT');
    expect(json.stdout).toContain('"강제북송" in title');
  });

  it('exits 2 for a file that does not exist', async () => {
    const result = await run(['check', 'missing.html']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read missing.html: no such file');
  });

  it('toArticle rejects JSON that is not an item', () => {
    expect(() => toArticle('{"headline": 1}', 'file:///x.json')).toThrow(/not an item/);
    expect(toArticle('<p>Hello <b>world</b></p>', 'file:///x.html').text).toContain('Hello world');
  });
});
