import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../vitest.shared.js';

// Browser tests drive the built server in a real Chromium: one file at a time (each starts a
// server and a browser), with room for a cold embedded database and a slow first page.
export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: 'e2e',
      environment: 'node',
      include: ['**/*.test.ts'],
      fileParallelism: false,
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  }),
);
