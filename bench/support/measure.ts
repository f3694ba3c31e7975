import { monitorEventLoopDelay } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** Waits, doing nothing: the event loop's delays then are the machine's, not ours. */
export function idle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `work` while sampling the event loop every 10 ms (or `resolutionMs`), and reports the
 * longest the loop was kept from running, in ms: the time a request would have waited.
 */
export async function withEventLoopMonitor<T>(
  work: () => Promise<T>,
  resolutionMs = 10,
): Promise<{ ms: number; maxDelayMs: number; p99DelayMs: number; cpuMs: number; value: T }> {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  // The histogram arms its timer on the next turn of the loop: a block before that goes unseen
  // (a synchronous PGlite query started at once would be missed entirely). Not reset() after
  // this wait: in Node 20 that drops the next sample, and so the first block.
  await idle(resolutionMs * 2);
  const cpuBefore = process.cpuUsage();
  try {
    const { ms, value } = await timed(work);
    const cpu = process.cpuUsage(cpuBefore);
    // One more turn of the loop, so that a block at the very end is sampled too.
    await idle(resolutionMs * 2);
    return {
      ms,
      value,
      maxDelayMs: histogram.max / 1e6,
      p99DelayMs: histogram.percentile(99) / 1e6,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  } finally {
    histogram.disable();
  }
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}
