import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../vitest.shared.js';

export default mergeConfig(shared, defineProject({ test: { name: 'chart', include: ['test/**/*.test.ts'] } }));
