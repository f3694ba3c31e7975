import type { MigrationSet } from '@openhands/db';

/** The engine's tables. Resolved beside src/ and dist/ alike, and shipped in the package. */
export const telemetryMigrations: MigrationSet = {
  component: 'telemetry',
  directory: new URL('../migrations/', import.meta.url),
};
