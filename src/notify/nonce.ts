import { createHash } from 'node:crypto';

/**
 * A Discord nonce for one (alert, target) pair: 25 base64url characters of a SHA-256,
 * the same on every retry so Discord's `enforce_nonce` turns a replayed create into the existing message.
 */
export function discordNonce(alertId: string, target: string): string {
  return createHash('sha256').update(`${alertId}\u0000${target}`).digest('base64url').slice(0, 25);
}
