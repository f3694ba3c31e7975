import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The reference server (apps/server) serves `dist` and the JSON API on one origin; in development
// Vite serves the UI and forwards the API to a server started beside it (`npm start`).
const apiServer = 'http://127.0.0.1:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      '/api': apiServer,
      '/healthz': apiServer,
      '/readyz': apiServer,
      '/docs': apiServer,
    },
  },
});
