const DAY_MS = 86_400_000;

/**
 * The windows every usage metric is counted over, from the collection's clock: the last 7 and
 * 30 days up to and including `now`. A conversation exactly 7 or 30 days old is inside.
 */
export interface Windows {
  now: Date;
  since7d: Date;
  since30d: Date;
}

export function windowsAt(now: Date): Windows {
  return {
    now,
    since7d: new Date(now.getTime() - 7 * DAY_MS),
    since30d: new Date(now.getTime() - 30 * DAY_MS),
  };
}
