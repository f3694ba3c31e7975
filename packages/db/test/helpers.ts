import type { MigrationSet } from '../src/index.js';

export const basicSet: MigrationSet = {
  component: 'fixture',
  directory: new URL('./fixtures/basic/', import.meta.url),
};
