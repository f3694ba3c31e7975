export { telemetryMigrations } from './migrations.js';
