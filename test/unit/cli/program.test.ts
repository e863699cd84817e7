import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './run-cli.js';

describe('refwatch program', () => {
  it('lists the commands in --help and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    for (const name of ['classify', 'eval', 'check', 'scan']) expect(result.stdout).toContain(name);
  });

  it.each(['classify', 'eval', 'check', 'scan'])('%s --help shows an example', async (name) => {
    const result = await run([name, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Examples?:\n {2}\$ refwatch /);
  });

  it('exits 2 on an unknown command or option', async () => {
    const unknown = await run(['clasify']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'clasify'");
    expect((await run(['scan', '--bogus'])).code).toBe(2);
    expect((await run(['eval'])).code).toBe(2); // missing argument
  });

  it('prints a config error without a stack trace and exits 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'refwatch-cli-config-'));
    writeFileSync(path.join(dir, 'bad.yaml'), 'sources:\n  - id: x\n    url: https://example.org/\n    every: soon\n');
    const result = await run(['classify', '--config', 'bad.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'Invalid configuration (1 problem):\n  bad.yaml:4 sources[0].every: "soon" is not a duration (use 10m, 1h …)\n',
    );
  });

  it('takes the config from REFWATCH_CONFIG and reports env problems', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'refwatch-cli-env-'));
    writeFileSync(path.join(dir, 'c.yaml'), 'pipeline: { failuresBeforePause: zero }\n');
    const fromEnv = await run(['classify'], { cwd: dir, env: { REFWATCH_CONFIG: 'c.yaml' } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('c.yaml:1 pipeline.failuresBeforePause');
    const badEnv = await run(['classify'], { env: { LOG_LEVEL: 'chatty' } });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('LOG_LEVEL: must be one of');
  });
});
