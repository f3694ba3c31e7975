import { useEffect, useRef, useState } from 'react';

/**
 * The width an element is shown at, followed as it changes (`fallback` until it is measured, and
 * where nothing measures, as in tests). For drawings laid out at their real size rather than scaled,
 * so their text stays readable from a phone to a wide screen.
 */
export function useWidth<T extends Element>(fallback: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const measured = Math.round(entry?.contentRect.width ?? 0);
      if (measured > 0) setWidth(measured);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}
