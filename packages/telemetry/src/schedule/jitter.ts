import { JITTER_FRACTION } from '../config/constants.js';

/** `ms` stretched or shrunk by up to ±5 %, with `random` in [0, 1). */
export function withJitter(ms: number, random: () => number, fraction = JITTER_FRACTION): number {
  return Math.round(ms * (1 + (random() * 2 - 1) * fraction));
}
