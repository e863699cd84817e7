/**
 * Process-level tuning knobs read from the environment by `refwatch start`. The defaults suit
 * production; the knobs exist so operators (and the process tests) can make crash recovery and
 * shutdown faster, e.g. a short lock so a job of a SIGKILLed worker is retried within seconds.
 */
import type { EnvSource } from '../src/config/index.js';

/** BullMQ worker timing (see `createWorkerOptions`). */
export interface WorkerTuning {
  /** How often stalled jobs are looked for. @defaultValue 30 000 */
  stalledIntervalMs?: number;
  /** How long a job lock lasts without renewal. @defaultValue 30 000 (poll: 60 000) */
  lockDurationMs?: number;
}

/** Everything `refwatch start` takes from the tuning variables. */
export interface ProcessTuning {
  tuning: WorkerTuning;
  /** Hard limit of a graceful stop. @defaultValue 10 000 */
  stopTimeoutMs?: number;
}

/** Thrown for a tuning variable that is not a whole number of milliseconds in range. */
export class TuningError extends Error {
  override name = 'TuningError';
}

/** The variables, their meaning and allowed range (ms). Documented in docs/operations.md. */
export const TUNING_VARIABLES = {
  REFWATCH_STALLED_INTERVAL_MS: { min: 100, max: 600_000 },
  REFWATCH_LOCK_DURATION_MS: { min: 500, max: 3_600_000 },
  REFWATCH_STOP_TIMEOUT_MS: { min: 0, max: 600_000 },
} as const;

type TuningVariable = keyof typeof TUNING_VARIABLES;

function readMs(env: EnvSource, name: TuningVariable, problems: string[]): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const { min, max } = TUNING_VARIABLES[name];
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    problems.push(`${name} must be a whole number of milliseconds from ${min} to ${max} (got "${raw}")`);
    return undefined;
  }
  return value;
}

/**
 * Reads `REFWATCH_STALLED_INTERVAL_MS`, `REFWATCH_LOCK_DURATION_MS` and `REFWATCH_STOP_TIMEOUT_MS`.
 * Unset or empty means the default. Throws {@link TuningError} listing every bad value.
 */
export function tuningFromEnv(env: EnvSource): ProcessTuning {
  const problems: string[] = [];
  const stalledIntervalMs = readMs(env, 'REFWATCH_STALLED_INTERVAL_MS', problems);
  const lockDurationMs = readMs(env, 'REFWATCH_LOCK_DURATION_MS', problems);
  const stopTimeoutMs = readMs(env, 'REFWATCH_STOP_TIMEOUT_MS', problems);
  if (problems.length > 0) throw new TuningError(`Invalid environment:\n  ${problems.join('\n  ')}`);
  return {
    tuning: {
      ...(stalledIntervalMs !== undefined ? { stalledIntervalMs } : {}),
      ...(lockDurationMs !== undefined ? { lockDurationMs } : {}),
    },
    ...(stopTimeoutMs !== undefined ? { stopTimeoutMs } : {}),
  };
}
