export * from './collection/index.js';
export { telemetryMigrations } from './migrations.js';
