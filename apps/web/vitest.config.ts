import react from '@vitejs/plugin-react';
import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../../vitest.shared.js';

export default mergeConfig(
  shared,
  defineProject({
    plugins: [react()],
    test: {
      name: 'web',
      environment: 'jsdom',
      include: ['src/**/*.test.tsx', 'test/**/*.test.tsx'],
      setupFiles: ['./test/setup.ts'],
      restoreMocks: true,
      unstubGlobals: true,
    },
  }),
);
