/**
 * Smoke test of the real Electron app. It runs where an Electron binary exists; here (no route to
 * Electron's download host) it reports itself skipped with that reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { ADMIN } from './support/fixtures.js';
import { REPO_ROOT, freshDataDir, removeDir } from './support/serve.js';

const pathFile = join(REPO_ROOT, 'node_modules', 'electron', 'path.txt');
const binary = existsSync(pathFile) ? join(REPO_ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim()) : null;
const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const skipReason = !binary || !existsSync(binary)
  ? 'no Electron binary here (its download host is unreachable); it runs where `npm run setup` could fetch it'
  : !hasDisplay
    ? 'no display; run it under xvfb-run'
    : null;
const title = 'Electron app opens a locked-down campanel:// window; after first run the Live preview shows frames';

// The reason is part of the title so every report shows why it did not run.
test(skipReason ? `${title} (skipped: ${skipReason})` : title, async () => {
  test.skip(skipReason !== null, skipReason ?? '');
  const dataDir = await freshDataDir();
  const app = await electron.launch({ executablePath: binary ?? undefined, args: [REPO_ROOT, '--data-dir', dataDir] });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Create administrator' })).toBeVisible();
    // The page has no Node: the sandbox and context isolation hold.
    expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => Object.keys((globalThis as unknown as { campanel: object }).campanel).length)).toBeGreaterThan(10);
    // Served from the custom protocol, not file:// (Electron's security checklist).
    expect(window.url()).toBe('campanel://app/index.html');

    await window.getByLabel('Name').fill(ADMIN.name);
    await window.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await window.getByLabel('Repeat password').fill(ADMIN.password);
    await window.getByRole('button', { name: 'Create administrator' }).click();
    await expect(window.getByRole('button', { name: 'Log out' })).toBeVisible();
    await window.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Live', exact: true }).click();
    // The preview reaches the window through campanel://app/media/preview/0 (no network port for the page).
    const preview = window.getByTestId('live-preview-0');
    await expect(preview).toBeVisible();
    await expect
      .poll(async () => Number(await preview.getAttribute('data-frames')), { timeout: 20_000 })
      .toBeGreaterThan(5);
  } finally {
    await app.close();
    await removeDir(dataDir);
  }
});
