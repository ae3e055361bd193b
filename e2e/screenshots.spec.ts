/**
 * `npm run screenshots`: the panel at the two sizes its users see (a Pi touchscreen or VNC session
 * at 800×480, a desktop at 1280×800), written to docs/screenshots/ for the README.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ADMIN, createAdmin, expect, openTab, test } from './support/fixtures.js';
import { REPO_ROOT, freePort } from './support/serve.js';

const SIZES = [
  { name: 'small', width: 800, height: 480 },
  { name: 'desktop', width: 1280, height: 800 },
];

const shot = (page: Page, screen: string, size: string) =>
  page.screenshot({ path: join(REPO_ROOT, 'docs', 'screenshots', `${screen}-${size}.png`), fullPage: false });

for (const size of SIZES) {
  test(`screens at ${size.width}x${size.height}`, async ({ page, serve, dataDir }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto(serve.panelUrl);
    await expect(page.getByRole('heading', { name: 'Create administrator' })).toBeVisible();
    await shot(page, 'first-run', size.name);

    await createAdmin(page, serve);
    await openTab(page, 'General');
    await page.getByLabel('Allow access through API').check();
    await expect(page.getByRole('tab', { name: 'API' })).toBeVisible();
    await expect(page.getByText('Saved.')).toBeVisible();
    await shot(page, 'settings-general', size.name);

    await openTab(page, 'API');
    await shot(page, 'settings-api-red', size.name);
    const port = await freePort();
    await page.getByLabel('JWT Secret Key File Path').fill(join(dataDir, 'campanel.secrets'));
    await page.getByLabel('API host').fill('127.0.0.1');
    await page.getByLabel('API port').fill(String(port));
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect(page.getByTestId('api-banner')).toContainText('To activate the API');
    await page.getByRole('heading', { name: 'API Settings' }).scrollIntoViewIfNeeded();
    await shot(page, 'settings-api-yellow', size.name);
    await page.getByTestId('api-banner').getByRole('button', { name: 'Restart API' }).click();
    await expect(page.getByTestId('api-banner')).toContainText('API is active');
    await page.getByLabel('Label').fill('door camera');
    await page.getByRole('button', { name: 'Generate Access Token' }).click();
    await page.getByRole('button', { name: 'Copy to clipboard' }).scrollIntoViewIfNeeded();
    await shot(page, 'settings-api-token', size.name);
    await page.getByRole('tab', { name: 'API' }).scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'settings-api-green', size.name);

    await openTab(page, 'Users');
    await shot(page, 'settings-users', size.name);

    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page.getByRole('heading', { name: 'Log in to CamPanel' })).toBeVisible();
    await shot(page, 'login', size.name);
    expect(ADMIN.name).toBe('admin');
  });
}
