import { defineConfig } from 'vitest/config';

// Every folder with a vitest.config.ts is a project: packages, apps, the chart and the browser tests.
export default defineConfig({
  test: { projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', '*/vitest.config.ts'] },
});
