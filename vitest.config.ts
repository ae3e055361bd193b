import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/src/**/*.test.{ts,tsx}', 'build/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // electron-store imports `electron`; inlining it lets main.test.ts give it the fake electron module.
    server: { deps: { inline: ['electron-store'] } },
  },
});
