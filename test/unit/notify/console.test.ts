import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeliveryError, classifyDeliveryFailure, createConsoleNotifier, formatConsoleAlert } from '../../../src/notify/index.js';
import { buildAlert } from './alert-fixture.js';

function capture(): { out: { write(chunk: string): void }; text: () => string } {
  const chunks: string[] = [];
  return {
    out: {
      write: (chunk: string) => {
        chunks.push(chunk);
      },
    },
    text: () => chunks.join(''),
  };
}

describe('console notifier', () => {
  it('prints a readable block and appends one JSON line per post and edit', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'refwatch-console-'));
    const alertLogPath = path.join(dir, 'nested', 'alerts.jsonl');
    const { out, text } = capture();
    const notifier = createConsoleNotifier({ out, alertLogPath, now: () => new Date('2026-08-01T06:00:00Z') });

    const alert = buildAlert();
    const posted = await notifier.post('console', alert, { nonce: 'n' });
    await notifier.edit('console', posted.messageId, { ...alert, alsoReportedBy: ['Seoul Daily', 'NK Watch Radio', 'Third Outlet'] });

    expect(text()).toContain('[HIGH] alert · score 9.5');
    expect(text()).toContain('Link      https://news.example.org/2026/08/dandong-transfer?id=42');
    expect(text()).toContain('Why       repatriation (title), Dandong (text)');
    expect(text()).toContain('(updated)');
    const lines = readFileSync(alertLogPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.event)).toEqual(['post', 'edit']);
    expect(lines[0]).toMatchObject({
      at: '2026-08-01T06:00:00.000Z',
      channel: 'console',
      messageId: posted.messageId,
      alert: { id: alert.id },
    });
  });

  it('strips terminal control sequences from feed text', () => {
    const block = formatConsoleAlert(
      buildAlert({ title: '\u001b]0;pwned\u0007\u001b[2J\u001b[31mRed\u009b title\u202e', sourceName: 'src\r\nInjected: line' }),
    );
    // eslint-disable-next-line no-control-regex -- asserting control characters are gone
    expect(block).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(block).toContain('Title     Red title');
    expect(block).toContain('Source    src Injected: line');
  });

  it('fails with a retryable, actionable error when the log cannot be written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'refwatch-console-'));
    const { out } = capture();
    // A path under a regular file cannot be created.
    const blocker = path.join(dir, 'file');
    await createConsoleNotifier({ out, alertLogPath: blocker }).post('console', buildAlert(), { nonce: 'n' });
    const notifier = createConsoleNotifier({ out, alertLogPath: path.join(blocker, 'alerts.jsonl') });
    const error = await notifier.post('console', buildAlert(), { nonce: 'n' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as Error).message).toContain('cannot append to the alert log');
    expect(classifyDeliveryFailure(error).kind).toBe('retry');
  });
});
