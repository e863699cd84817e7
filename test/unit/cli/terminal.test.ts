import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../../src/cli/io.js';
import { fixture, run } from './run-cli.js';

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminal output of feed text', () => {
  it('terminalSafe drops escape sequences, controls and bidi overrides but keeps newlines, tabs and text', () => {
    expect(terminalSafe('a\u001b]0;pwned\u0007b\u001b[2Jc\r\nd\te\u202ef\u009bg')).toBe('abc\nd\tefg');
    expect(terminalSafe('탈북민 강제북송 — “quoted”')).toBe('탈북민 강제북송 — “quoted”');
  });

  it('refwatch check prints a hostile title without terminal control sequences', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'refwatch-term-'));
    const title = 'Forcibly repatriated \u001b]0;owned\u0007\u001b[2J\u001b[31mred\u001b[0m \u202eevil\r overwritten';
    writeFileSync(
      path.join(dir, 'item.json'),
      JSON.stringify({ title, text: 'They were forcibly repatriated \u001b[5m about 200 North Korean people.' }),
    );
    const result = await run(['check', 'item.json', '--packs', fixture('test-pack.yaml')], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Forcibly repatriated');
    expect(result.stdout).toContain('red');
    expect(result.stdout).not.toMatch(CONTROL);
  });
});
