import type { Queryable } from '@openhands/db';

/**
 * A Queryable that runs at most `limit` statements at a time and queues the others in the
 * order they came. A collection shares the host's connection pool and database: left alone,
 * its collectors would take as many connections as there are collectors and every core of the
 * database at once, and the host's requests would wait behind them.
 */
export function limitConcurrency(db: Queryable, limit: number): Queryable {
  const run = concurrencyGate(limit);
  return {
    query: (text, params) => run(() => db.query(text, params)),
    exec: (script) => run(() => db.exec(script)),
  };
}

/** Runs at most `limit` of the functions given to it at a time, the others in arrival order. */
export function concurrencyGate(limit: number): <T>(statement: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number ≥ 1, not ${limit}`);
  let running = 0;
  const waiting: Array<() => void> = [];
  const run = async <T>(statement: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await statement();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
  return run;
}
