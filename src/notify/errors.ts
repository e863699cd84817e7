/** Platforms a delivery can fail on. */
export type DeliveryPlatform = 'discord' | 'slack' | 'console';

/** How a delivery failed below HTTP: no usable response arrived (or, for the console, the log write failed). */
export type TransportFailure = 'network' | 'timeout' | 'io';

/** The facts about a delivery failure that classification needs; nothing secret. */
export interface DeliveryFailureFacts {
  platform: DeliveryPlatform;
  /** HTTP status when the platform answered. */
  status?: number;
  /** Platform error code: Discord JSON code (e.g. 50013) or Slack `error` (e.g. "channel_not_found"). */
  code?: string | number;
  /** Server-requested wait, when rate limited. */
  retryAfterMs?: number;
  /** Set when no HTTP answer arrived. */
  transport?: TransportFailure;
}

// Webhook and interaction URLs carry their token in the path; bot/app tokens may appear in headers or text.
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\/webhooks\/(\d+)\/[^/?#\s"']+/g, '/webhooks/$1/***'],
  [/\/interactions\/(\d+)\/[^/?#\s"']+/g, '/interactions/$1/***'],
  [/\b(xox[abposre]|xapp)-[A-Za-z0-9-]+/g, '$1-***'],
  [/\b(Bot|Bearer)\s+[A-Za-z0-9._-]{20,}/g, '$1 ***'],
];

/**
 * Removes tokens from text meant for logs or error messages: webhook and interaction tokens
 * in URLs, Slack tokens, `Bot …`/`Bearer …` credentials, and any literal secret given.
 */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Short strings would mask ordinary words; real tokens are long.
    if (secret.length >= 8) out = out.split(secret).join('***');
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A failed post or edit, as thrown by every Notifier in this folder.
 * Carries only classification facts and a masked message: never the token, request body or raw URL.
 */
export class DeliveryError extends Error {
  readonly platform: DeliveryPlatform;
  readonly status: number | undefined;
  readonly code: string | number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly transport: TransportFailure | undefined;

  constructor(facts: DeliveryFailureFacts, message: string) {
    super(message);
    this.platform = facts.platform;
    this.status = facts.status;
    this.code = facts.code;
    this.retryAfterMs = facts.retryAfterMs;
    this.transport = facts.transport;
  }

  /** E.g. `DeliveryError[discord 403]`, `DeliveryError[slack channel_not_found]`, `DeliveryError[discord timeout]`. */
  override get name(): string {
    const detail = this.status ?? this.transport ?? this.code ?? 'error';
    return `DeliveryError[${this.platform} ${String(detail)}]`;
  }

  /** The facts, for classifyDeliveryFailure and logs. */
  get facts(): DeliveryFailureFacts {
    const facts: DeliveryFailureFacts = { platform: this.platform };
    if (this.status !== undefined) facts.status = this.status;
    if (this.code !== undefined) facts.code = this.code;
    if (this.retryAfterMs !== undefined) facts.retryAfterMs = this.retryAfterMs;
    if (this.transport !== undefined) facts.transport = this.transport;
    return facts;
  }

  /** Keeps JSON logs useful (name and message are not enumerable on Error). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...this.facts };
  }
}
