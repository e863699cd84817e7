import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fixture, jsonLines, run } from './run-cli.js';

const pack = fixture('test-pack.yaml');

describe('refwatch classify', () => {
  it('writes one classification per input line, in order', async () => {
    const input = [
      JSON.stringify({ id: 'a', title: 'China forcibly repatriates North Korean defectors', text: 'About 200 people were sent back.' }),
      '',
      JSON.stringify({ id: 7, title: 'Stock markets rise', text: 'Shares rose in Seoul.', url: 'https://example.org/x', lang: 'en' }),
      JSON.stringify({ id: 'k', title: '탈북민 강제북송', text: '', source: 'yonhap-ko-nk', published: '2026-01-01T00:00:00Z' }),
    ].join('\n');
    const result = await run(['classify', '--packs', pack], { stdin: input });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = jsonLines(result.stdout);
    expect(lines.map((line) => [line.id, line.decision])).toEqual([
      ['a', 'alert'],
      ['7', 'ignore'],
      ['k', 'alert'],
    ]);
    expect(Object.keys(lines[0] ?? {}).sort()).toEqual(['decision', 'entities', 'id', 'matches', 'rules', 'score', 'severity']);
    expect(lines[0]).toMatchObject({ severity: 'high', entities: { people: [expect.objectContaining({ count: 200 })] } });
    expect(lines[0]?.score).toBeGreaterThanOrEqual(10);
    expect(lines[1]).toMatchObject({ score: 0, rules: [], matches: [] });
  });

  it('answers a bad line with an error line and a message, then carries on', async () => {
    const input = [
      'not json at all',
      JSON.stringify({ id: 'no-text', title: 'China forcibly repatriates' }),
      JSON.stringify(['an', 'array']),
      JSON.stringify({ id: 'ok', title: 'China forcibly repatriates defectors', text: '' }),
    ].join('\n');
    const result = await run(['classify', '--packs', pack], { stdin: input });
    expect(result.code).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual({ error: expect.stringMatching(/^line 1: not JSON/) });
    expect(lines[1]).toEqual({ id: 'no-text', error: expect.stringMatching(/^line 2: text: /) });
    expect(lines[2]).toEqual({ error: expect.stringMatching(/^line 3: /) });
    expect(lines[3]).toMatchObject({ id: 'ok', decision: 'alert' });
    expect(result.stderr.trim().split('\n')).toHaveLength(3);
    expect(result.stderr).toContain('refwatch classify: line 2: text:');
  });

  it('streams: answers each line before stdin ends', async () => {
    const stdin = new PassThrough();
    const out: string[] = [];
    const { runCli } = await import('../../../src/cli/program.js');
    const stdout = new PassThrough();
    stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
    const done = runCli(['classify', '--packs', pack], { stdin, stdout, stderr: new PassThrough(), env: {}, cwd: process.cwd() });
    stdin.write(`${JSON.stringify({ id: 'first', title: 'China forcibly repatriates defectors', text: '' })}\n`);
    await expect.poll(() => out.join(''), { timeout: 5000 }).toContain('"id":"first"');
    stdin.end(`${JSON.stringify({ id: 'second', title: 'Weather', text: 'rain' })}\n`);
    expect(await done).toBe(0);
    expect(jsonLines(out.join('')).map((line) => line.id)).toEqual(['first', 'second']);
  });

  it('uses the built-in packs by default', async () => {
    const result = await run(['classify'], {
      stdin: JSON.stringify({ id: 'x', title: 'Weekend weather forecast', text: 'Sunny with light winds across the region.' }),
    });
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout)[0]).toMatchObject({ id: 'x', decision: 'ignore' });
  });

  it('exits 2 with the message for a missing rule pack', async () => {
    const result = await run(['classify', '--packs', 'does-not-exist.yaml'], { stdin: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('does-not-exist.yaml');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
