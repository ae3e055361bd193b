import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The preload runs sandboxed, where only CommonJS and a few modules (electron among them) can be
 * required, so it is bundled into one CommonJS file.
 */
export default defineConfig({
  build: {
    outDir: fileURLToPath(new URL('../out/preload', import.meta.url)),
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    lib: {
      entry: fileURLToPath(new URL('./preload.ts', import.meta.url)),
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: { external: ['electron'] },
  },
});
