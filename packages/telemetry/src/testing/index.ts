export { ManualClock } from './manual-clock.js';

/** A repeatable `random()` for jitter in tests (a small linear congruential generator). */
export function seededRandom(seed = 42): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}
