import { defineConfig } from 'vitest/config';

/**
 * Settings every test project shares. The `source` export condition makes workspace packages
 * resolve to their TypeScript sources, so tests never need a build first. Only `source` is
 * added: vitest hands these conditions to Node, and an `import` condition there would make
 * `require()` inside CommonJS packages (pg) load their ESM builds.
 */
export const shared = defineConfig({
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: ['source', 'node', 'development|production'] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
