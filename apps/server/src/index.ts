export { allMigrations, hostMigrations } from './migrations.js';
