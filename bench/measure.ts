/** Small measuring helpers for the benchmarks: memory sampling, timing, percentiles. */
import { readFileSync } from 'node:fs';

/** Samples a process's RSS on a timer; peaks are kept overall and per mark. */
export interface RssSampler {
  /** Starts a new window; {@link RssSampler.peakSince} reads its peak. */
  mark(): void;
  /** Peak RSS (MB) since the last mark, sampling once more now. */
  peakSince(): number;
  /** Peak RSS (MB) since the sampler started. */
  peak(): number;
  stop(): void;
}

const MB = 1e6;

/**
 * Starts sampling every `everyMs` (default 100 ms); the timer never keeps the process alive.
 * `readRss` gives the bytes to sample (default: this process's RSS); it may return undefined
 * once the measured process is gone.
 */
export function startRssSampler(everyMs = 100, readRss: () => number | undefined = () => process.memoryUsage().rss): RssSampler {
  let overall = 0;
  let window = 0;
  const sample = () => {
    const rss = readRss() ?? 0;
    if (rss > overall) overall = rss;
    if (rss > window) window = rss;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    mark() {
      window = 0;
      sample();
    },
    peakSince() {
      sample();
      return round(window / MB, 0);
    },
    peak() {
      sample();
      return round(overall / MB, 0);
    },
    stop: () => clearInterval(timer),
  };
}

/** Memory of another process from `/proc/<pid>/status` (Linux), in bytes. */
export interface ProcMemory {
  /** Resident set size now (VmRSS). */
  rss: number;
  /** Peak resident set size since the process started (VmHWM), as the kernel counted it. */
  peakRss: number;
}

/** Reads {@link ProcMemory} for `pid`; undefined when there is no /proc (not Linux) or the process is gone. */
export function readProcMemory(pid: number): ProcMemory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const rss = kb('VmRSS');
  const peakRss = kb('VmHWM');
  return rss === undefined || peakRss === undefined ? undefined : { rss, peakRss };
}

/** Wall and CPU time of one phase. */
export interface PhaseTime {
  seconds: number;
  /** User + system CPU of this process over the phase. */
  cpuSeconds: number;
}

/** Starts a stopwatch; calling the result ends it. */
export function stopwatch(): () => PhaseTime {
  const start = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { seconds: round((performance.now() - start) / 1000, 2), cpuSeconds: round((used.user + used.system) / 1e6, 2) };
  };
}

/** The p-th percentile (0–100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Resolves when `done()` is true, polling every `everyMs`; false when `timeoutMs` passes first. */
export async function waitUntil(done: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** One row of the summary table. */
export interface SummaryRow {
  bench: string;
  metric: string;
  value: string;
  target?: string;
  /** undefined = no target for this figure. */
  ok?: boolean;
}

/** A plain-text table with aligned columns. */
export function formatTable(rows: readonly SummaryRow[]): string {
  const header = ['bench', 'metric', 'value', 'target', 'ok'];
  const cells = rows.map((row) => [row.bench, row.metric, row.value, row.target ?? '', row.ok === undefined ? '' : row.ok ? 'yes' : 'NO']);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => (line[i] ?? '').length)));
  const line = (parts: string[]) =>
    parts
      .map((part, i) => part.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
