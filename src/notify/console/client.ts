import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Alert } from '../../domain/index.js';
import { DeliveryError } from '../errors.js';
import type { Notifier, PostResult } from '../types.js';
import { cleanText } from '../text.js';
import { formatConsoleAlert } from './format.js';

/** Where console alerts go. */
export interface ConsoleNotifierOptions {
  /** Readable output, e.g. process.stdout. */
  out: { write(chunk: string): unknown };
  /** JSON Lines log of every post/edit. @defaultValue `'./data/alerts.jsonl'` */
  alertLogPath?: string;
  /** Clock for the log lines (tests). */
  now?: () => Date;
}

/** One line of the alert log. */
export interface AlertLogLine {
  at: string;
  event: 'post' | 'edit';
  channel: string;
  messageId: string;
  alert: Alert;
}

/**
 * Console Notifier: a readable block per alert to `out`, and one JSON line per post or edit appended
 * to the alert log, so nothing is lost when no chat platform is configured.
 */
export function createConsoleNotifier(options: ConsoleNotifierOptions): Notifier {
  const logPath = options.alertLogPath ?? path.join('.', 'data', 'alerts.jsonl');
  const now = options.now ?? (() => new Date());
  let dirReady: Promise<unknown> | undefined;

  async function record(line: AlertLogLine): Promise<void> {
    try {
      dirReady ??= mkdir(path.dirname(logPath), { recursive: true });
      await dirReady;
      // JSON.stringify escapes control characters, so a line stays one line whatever the feed sent.
      await appendFile(logPath, `${JSON.stringify(line)}\n`, 'utf8');
    } catch (error) {
      dirReady = undefined;
      const reason = error instanceof Error ? error.message : String(error);
      throw new DeliveryError(
        { platform: 'console', transport: 'io', code: (error as { code?: string }).code ?? 'io' },
        `console ${line.event} of alert ${line.alert.id}: cannot append to the alert log ${logPath} (${reason}); check the path and permissions (REFWATCH_DATA_DIR)`,
      );
    }
  }

  return {
    platform: 'console',

    async post(channel: string, alert: Alert): Promise<PostResult> {
      const messageId = `console:${alert.id}`;
      await record({ at: now().toISOString(), event: 'post', channel, messageId, alert });
      options.out.write(`${formatConsoleAlert(alert, 'post')}\n`);
      return { messageId, channel };
    },

    async edit(channel: string, messageId: string, alert: Alert): Promise<void> {
      await record({ at: now().toISOString(), event: 'edit', channel, messageId, alert });
      options.out.write(`${formatConsoleAlert(alert, 'edit')}\n`);
    },

    async notice(_channel: string, text: string): Promise<void> {
      options.out.write(`[ops] ${cleanText(text)}\n`);
    },
  };
}
