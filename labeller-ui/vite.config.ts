import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server (createApp with uiDir) serves dist/ and the API on one port; in `vite dev` the
// API and socket are proxied to a server started with `npm start` on :8866.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: {
      '/api': 'http://localhost:8866',
      '/socket.io': { target: 'ws://localhost:8866', ws: true },
    },
  },
});
