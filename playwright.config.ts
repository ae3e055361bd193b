import { defineConfig } from '@playwright/test';

/**
 * The panel runs in Debian's Chromium (Playwright's own browser download cannot run here).
 * Each test starts its own `campanel serve` on a fresh data directory (see e2e/support).
 */
export const CHROMIUM_PATH = process.env.CAMPANEL_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      // Without these, Chromium keeps dialling Google's hosts, which this machine refuses.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    },
    viewport: { width: 1280, height: 800 },
    trace: 'off',
  },
  projects: [
    { name: 'panel', testMatch: /.*\.spec\.ts/, testIgnore: [/electron\.spec\.ts/, /screenshots\.spec\.ts/] },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
    { name: 'screenshots', testMatch: /screenshots\.spec\.ts/ },
  ],
});
