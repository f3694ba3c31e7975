/** `value` rounded to `decimals` places, for values sent with a fixed precision. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round((value + Number.EPSILON) * factor) / factor;
}

/** `numerator / denominator`, or 0 when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
