import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Builds the renderer only; main, preload and serve mode are bundled by build/build.mjs with esbuild. */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    // Each page is a chunk loaded when first shown (renderer/pages/index.tsx), and the code the pages share is
    // split by who imports it, so the first screen parses only the shell and its page. The largest chunk is
    // antd's prebuilt stylesheet (about 1 MB, read from disk or loopback).
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
    target: 'chrome120',
  },
});
