import { test as base, expect, type Page } from '@playwright/test';
import { freshDataDir, removeDir, startServe, type ServeHandle } from './serve.js';

export const ADMIN = { name: 'admin', password: 'correct-horse-1' };

interface Fixtures {
  dataDir: string;
  serve: ServeHandle;
}

/** Every test gets its own data directory and its own `campanel serve`. */
export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const dir = await freshDataDir();
    await use(dir);
    await removeDir(dir);
  },
  serve: async ({ dataDir }, use) => {
    const handle = await startServe(dataDir);
    await use(handle);
    await handle.stop();
  },
});

export { expect };

export async function createAdmin(page: Page, serve: ServeHandle): Promise<void> {
  await page.goto(serve.panelUrl);
  await expect(page.getByRole('heading', { name: 'Create administrator' })).toBeVisible();
  await page.getByLabel('Name').fill(ADMIN.name);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Repeat password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
}

export async function logIn(page: Page, name: string, password: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Log in to CamPanel' })).toBeVisible();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Main navigation: Live, Captures, Settings. */
export async function openScreen(page: Page, name: 'Live' | 'Captures' | 'Settings'): Promise<void> {
  const item = page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
  await item.click();
  await expect(item).toHaveAttribute('aria-current', 'page');
}

/** A Settings tab; opens the Settings screen first when another screen is shown. */
export async function openTab(page: Page, name: string): Promise<void> {
  if (!(await page.getByRole('tablist', { name: 'Settings' }).isVisible())) await openScreen(page, 'Settings');
  await page.getByRole('tab', { name }).click();
  await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
}

/** Settings → General: tick "Allow access through API", then open the API tab. */
export async function openApiTab(page: Page): Promise<void> {
  await openTab(page, 'General');
  await page.getByLabel('Allow access through API').check();
  await openTab(page, 'API');
}
