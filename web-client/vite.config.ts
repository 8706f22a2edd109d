// Vite build for the forumcast web client. `npm run build` writes dist/, which the
// C++ server serves at / with an SPA fallback to index.html. `npm run dev` serves the
// sources with hot reload and proxies /api, /healthz and /ws to a running forumcast
// (FORUMCAST_URL, default http://127.0.0.1:8080).
import { defineConfig } from 'vite';

const backend = process.env.FORUMCAST_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  build: {
    target: 'es2020',
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts (CSP default-src 'self'), and no polyfill for modulepreload:
    // every browser we target supports it.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    manifest: true, // dist/.vite/manifest.json, read by scripts/size.mjs
    reportCompressedSize: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': backend,
      '/healthz': backend,
      '/ws': { target: backend.replace(/^http/, 'ws'), ws: true },
    },
  },
});
