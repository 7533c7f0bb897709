import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';
import { defineConfig, type Plugin } from 'vitest/config';
import type { Connect } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import pkg from './package.json' with { type: 'json' };

/** Model folders served at /models/<name>/ from the app's own origin. Not precached: cached after first use. */
const MODELS_DIR = resolve('models');

/**
 * Only our own origin, plus what onnxruntime needs: 'wasm-unsafe-eval' to compile wasm and
 * blob: for the worker threads emscripten may start. Inline styles: Svelte's dev CSS and style attributes.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** COOP + COEP make the page (and its workers) cross-origin isolated, which multi-threaded WASM needs. */
export const SECURITY_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': CSP,
};

/**
 * The same CSP as a <meta> tag (CSP_META), for hosts that serve dist/ without our headers (frame-ancestors is
 * left out: browsers ignore it in <meta> and log an error).
 */
export const CSP_META = CSP.split('; ')
  .filter((d) => !d.startsWith('frame-ancestors'))
  .join('; ');

function cspMetaPlugin(): Plugin {
  const policy = CSP_META;
  // XINAN_BUILD_ID marks a build (the e2e update test rebuilds with a new one to publish an "update").
  const build = process.env.XINAN_BUILD_ID ?? 'local';
  return {
    name: 'xinan-csp-meta',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head' },
      { tag: 'meta', attrs: { name: 'xinan-build', content: build }, injectTo: 'head' },
    ],
  };
}

/**
 * Files under `dir`, served as they are with their Content-Length. Why not the preview server's static handler: it
 * gzips on the fly and drops Content-Length, and transformers.js then grows its buffer chunk by chunk, copying the
 * whole model each time (quadratic: about 3 s of a 20 MB model's cold start here). Weights hardly compress anyway.
 */
function serveModels(dir: string): Connect.NextHandleFunction {
  return (req, res, next) => {
    const path = normalize(join(dir, decodeURIComponent((req.url ?? '').split('?')[0])));
    // `dir + sep`: a bare prefix test would also let `/models/../models-other/x` through.
    const file = path.startsWith(dir + sep) && existsSync(path) ? statSync(path) : undefined;
    if (!file?.isFile()) return next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    res.setHeader('Content-Type', path.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    res.setHeader('Content-Length', file.size);
    if (req.method === 'HEAD') return res.end();
    createReadStream(path).pipe(res);
  };
}

/** Serves models/ at /models/ in dev and copies it into the build, so preview serves it too. */
export function modelsPlugin(): Plugin {
  return {
    name: 'xinan-models',
    configureServer(server) {
      server.middlewares.use('/models', serveModels(MODELS_DIR));
    },
    // Added here, not as a post hook, so it runs before the preview server's compression.
    configurePreviewServer(server) {
      server.middlewares.use('/models', serveModels(resolve(server.config.root, server.config.build.outDir, 'models')));
    },
    writeBundle(options) {
      const out = join(options.dir ?? 'dist', 'models');
      cpSync(MODELS_DIR, out, { recursive: true, filter: (src) => !/\.(md|txt)$/.test(src) || src.endsWith('vocab.txt') });
    },
  };
}

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  plugins: [
    svelte(),
    cspMetaPlugin(),
    modelsPlugin(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: '心安 xinan — 心理支持对话安全评估',
        short_name: '心安',
        description: '离线、本机运行的中文心理支持对话安全评估工具',
        lang: 'zh-CN',
        start_url: '.',
        display: 'standalone',
        background_color: '#f7f7f4',
        theme_color: '#2f6f5e',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,webmanifest,wasm}'],
        globIgnores: ['models/**'],
        // onnxruntime's two threaded wasm builds (plain 14 MB for WASM, asyncify 27 MB for WebGPU: worker/model.ts)
        // are both precached, so either device works offline; workbox skips files over 2 MiB by default.
        maximumFileSizeToCacheInBytes: 40 * 1024 * 1024,
        clientsClaim: true,
        navigateFallbackDenylist: [/^\/models\//],
        runtimeCaching: [
          {
            urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/models/'),
            handler: 'StaleWhileRevalidate',
            options: { cacheName: 'xinan-models', cacheableResponse: { statuses: [200] } },
          },
        ],
      },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { headers: SECURITY_HEADERS },
  preview: { headers: SECURITY_HEADERS },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/component/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
  },
});
