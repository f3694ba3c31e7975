import type { CollectionScope, CollectorContext } from './types.js';

/**
 * A scope for one collection. The first collector to ask for a key starts the computation; the
 * others wait for the same promise, success or failure alike. It lives as long as the run.
 */
export function createCollectionScope(): CollectionScope {
  const results = new Map<string, Promise<unknown>>();
  return {
    once<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let result = results.get(key) as Promise<T> | undefined;
      if (!result) {
        result = Promise.resolve().then(compute);
        results.set(key, result);
      }
      return result;
    },
  };
}

/**
 * The result of `compute` for `key`, shared with the other collectors of the same collection:
 * the way for two collectors to read one pass over a large table instead of two. Called
 * outside a collection (a collector on its own, in a test), it simply computes.
 */
export function sharedResult<T>(ctx: CollectorContext, key: string, compute: () => Promise<T>): Promise<T> {
  return ctx.scope ? ctx.scope.once(key, compute) : compute();
}
