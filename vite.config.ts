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
    // The app is loaded from disk or loopback: one chunk per vendor group keeps reloads quick.
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
    target: 'chrome120',
  },
});
