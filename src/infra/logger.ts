import { pino, type DestinationStream, type Logger, type LevelWithSilentOrString } from 'pino';
import { maskDeep, maskSecrets } from './redact.js';

export type { Logger } from 'pino';

/**
 * Key paths pino removes outright. Wildcards match one segment only (pino#1708), so the
 * common nestings are spelled out; strings elsewhere are caught by pattern masking.
 */
export const REDACT_PATHS: readonly string[] = [
  'token',
  '*.token',
  '*.*.token',
  'password',
  '*.password',
  '*.*.password',
  'webhookUrl',
  '*.webhookUrl',
  '*.*.webhookUrl',
  'discordToken',
  'slackBotToken',
  'slackAppToken',
  'slackSigningSecret',
  'signingSecret',
  'adminPassword',
  '*.discordToken',
  '*.slackBotToken',
  '*.slackAppToken',
  '*.slackSigningSecret',
  '*.signingSecret',
  '*.adminPassword',
  'err.url',
  'err.requestBody',
  'err.cause.url',
  'err.cause.requestBody',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
];

export interface LoggerOptions {
  level: LevelWithSilentOrString;
  /** Where lines go; stdout when absent. Tests pass a buffer. */
  destination?: DestinationStream;
}

/** Serializes an Error (message, stack, own fields, causes) with every string masked. */
export function serializeError(err: unknown): unknown {
  if (err instanceof Error) return maskDeep(pino.stdSerializers.err(err));
  return maskDeep(err);
}

/** Masks strings in a log object; Errors anywhere in it are serialized first so their message/stack are masked too. */
function maskLogObject(value: unknown, depth = 6): unknown {
  if (value instanceof Error) return serializeError(value);
  if (value === null || typeof value !== 'object' || depth <= 0) return maskDeep(value, 1);
  if (Array.isArray(value)) return value.map((entry) => maskLogObject(entry, depth - 1));
  if (Buffer.isBuffer(value) || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) out[key] = maskLogObject(entry, depth - 1);
  return out;
}

function errorMessageOf(value: unknown): string | undefined {
  if (value instanceof Error) return value.message;
  if (value && typeof value === 'object') {
    const err = (value as { err?: unknown }).err;
    if (err instanceof Error) return err.message;
  }
  return undefined;
}

/**
 * The application logger: JSON lines, secrets redacted by key path *and* masked by
 * pattern in every string (messages, stacks, nested fields). See RELIABILITY #29.
 */
export function createLogger(options: LoggerOptions): Logger {
  const pinoOptions = {
    level: options.level,
    base: { app: 'refwatch' },
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    serializers: { err: serializeError },
    formatters: {
      bindings: (bindings: Record<string, unknown>) => maskDeep(bindings) as Record<string, unknown>,
      // Runs before serializers, on the object passed to each call.
      log: (object: Record<string, unknown>) => maskLogObject(object) as Record<string, unknown>,
    },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        // pino copies err.message into `msg` outside the formatter, so mask it here. Arguments after
        // the first are printf values (%s, %j, %o) that no formatter sees: mask them as well.
        const masked = args.map((arg, index) => {
          if (typeof arg === 'string') return maskSecrets(arg);
          if (index === 0) return arg;
          return arg instanceof Error ? maskSecrets(`${arg.name}: ${arg.message}`) : maskLogObject(arg);
        });
        if (masked.length === 1) {
          const message = errorMessageOf(masked[0]);
          if (message !== undefined) masked.push(maskSecrets(message));
        }
        method.apply(this, masked);
      },
    },
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

/** Child logger for one job, so every line says which job and source it is about. */
export function jobLogger(logger: Logger, fields: { jobId: string | undefined; sourceId?: string; queue?: string }): Logger {
  const bindings: Record<string, string> = { jobId: fields.jobId ?? '(none)' };
  if (fields.sourceId !== undefined) bindings.sourceId = fields.sourceId;
  if (fields.queue !== undefined) bindings.queue = fields.queue;
  return logger.child(bindings);
}
