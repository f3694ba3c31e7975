import { type CollectorRegistry, collectorRegistry } from '@openhands/telemetry';

// Beside this file in sources (src/telemetry/collectors/) and in the build (dist/telemetry/collectors/).
const COLLECTORS_FOLDER = new URL('./collectors/', import.meta.url);

let loading: Promise<CollectorRegistry> | undefined;

/**
 * Fills the default registry with the collectors folder, once per process; later calls get the
 * same registry. A new metric is a new file in that folder and nothing else.
 */
export function loadCollectors(): Promise<CollectorRegistry> {
  loading ??= collectorRegistry.discover(COLLECTORS_FOLDER).then(
    () => collectorRegistry,
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
