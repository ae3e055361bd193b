import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// No node:path here: the renderer folder's lint rule forbids Node built-ins, and a URL is enough.
const root = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root,
  // Relative asset URLs: the same build is loaded from file:// by Electron and over HTTP by `campanel serve`.
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    sourcemap: false,
  },
});
