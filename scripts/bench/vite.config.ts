/**
 * Build of the benchmark page: the app's real bridge and worker, the same headers and model
 * serving, without the PWA (a service worker would muddy cold-start times).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { modelsPlugin, SECURITY_HEADERS } from '../../vite.config.ts';

export default defineConfig({
  root: resolve('scripts/bench'),
  define: { __APP_VERSION__: JSON.stringify('bench') },
  plugins: [modelsPlugin()],
  worker: { format: 'es' },
  build: { outDir: resolve('.cache/bench/dist'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  preview: { headers: SECURITY_HEADERS },
  server: { headers: SECURITY_HEADERS },
});
