import type { MigrationSet } from '@openhands/db';
import { telemetryMigrations } from '@openhands/telemetry';

/** The host's own tables. */
export const hostMigrations: MigrationSet = {
  component: 'host',
  directory: new URL('../migrations/', import.meta.url),
};

/** Everything this server needs, host first. */
export const allMigrations: readonly MigrationSet[] = [hostMigrations, telemetryMigrations];
