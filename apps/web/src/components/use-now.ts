import { useEffect, useState } from 'react';

/**
 * The current time, renewed every `intervalMs`, so that "in 3 hours" and "2 minutes ago" stay true
 * on a page left open. The timer lives as long as the component.
 */
export function useNow(intervalMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
