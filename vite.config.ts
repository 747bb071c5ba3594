// Builds the browser UI from src/web into dist/web, where the server serves it from.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));
// dkfds exports only its JS, so its CSS (which refers to ../fonts and ../img) is reached through this alias.
const dkfdsDist = fileURLToPath(new URL('./node_modules/dkfds/dist', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  resolve: { alias: { '@dkfds': dkfdsDist } },
  // The server's CSP allows only same-origin files, so everything (DKFDS fonts included) is bundled.
  build: { outDir, emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    // `vite` dev server during development: the API runs separately on port 3000.
    proxy: { '/api': 'http://localhost:3000' },
  },
});
