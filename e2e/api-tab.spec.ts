import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ADMIN, createAdmin, expect, openApiTab, openTab, test } from './support/fixtures.js';
import { freePort } from './support/serve.js';
import type { Page } from '@playwright/test';

const banner = (page: Page) => page.getByTestId('api-banner');

async function restartApi(page: Page) {
  await banner(page).getByRole('button', { name: 'Restart API' }).click();
}

async function submit(page: Page) {
  await page.getByRole('button', { name: 'Submit' }).click();
}

test('API status: red → set path → yellow → restart → green → lifetime → yellow → green → clear path → deactivate → red', async ({
  page,
  serve,
  dataDir,
}) => {
  const port = await freePort();
  const secrets = join(dataDir, 'secrets', 'campanel.secrets');
  await createAdmin(page, serve);
  await openApiTab(page);

  await expect(banner(page)).toContainText('API not active. Please specify JWT authentication settings');
  await expect(banner(page)).toHaveAttribute('data-colour', 'red');

  // Storing without a path: the message agrees with the red banner (a warning, never a green "stored").
  await submit(page);
  await expect(page.getByRole('status').filter({ hasText: 'Settings stored.' })).toHaveText(
    'Settings stored. Without a JWT Secret Key File Path the API is not active.',
  );
  await expect(page.locator('.notice--success')).toHaveCount(0);

  // A bad value is refused beside its field and nothing is stored.
  await page.getByLabel('Access Token Expiration in Minutes').fill('-5');
  await submit(page);
  await expect(page.getByText('Must be 0 or more')).toBeVisible();
  await expect(banner(page)).toHaveAttribute('data-colour', 'red');

  await page.getByLabel('JWT Secret Key File Path').fill(secrets);
  await page.getByLabel('Access Token Expiration in Minutes').fill('60');
  await page.getByLabel('API host').fill('127.0.0.1');
  await page.getByLabel('API port').fill(String(port));
  await submit(page);
  await expect(banner(page)).toContainText('To activate the API, restart the API');
  await expect(banner(page)).toHaveAttribute('data-colour', 'yellow');
  // The absolute path, and that the file was created.
  await expect(page.getByText(`Created ${secrets} with a new JWT key (folder 0700, file 0600). Restart the API to apply them.`)).toBeVisible();

  await restartApi(page);
  await expect(banner(page)).toContainText('API is active');
  await expect(banner(page)).toHaveAttribute('data-colour', 'green');
  await expect(banner(page)).toContainText(`http://127.0.0.1:${port}/api`);
  // The restart hint left with the restart.
  await expect(page.getByText('Restart the API to apply them.')).toHaveCount(0);

  await page.getByLabel('Access Token Expiration in Minutes').fill('15');
  await submit(page);
  await expect(banner(page)).toContainText('To update token expiration, restart the API');
  await expect(banner(page)).toHaveAttribute('data-colour', 'yellow');
  await restartApi(page);
  await expect(banner(page)).toContainText('API is active');

  await page.getByLabel('JWT Secret Key File Path').fill('');
  await submit(page);
  await expect(banner(page)).toContainText('To deactivate the API, restart the API');
  await restartApi(page);
  await expect(banner(page)).toContainText('API not active. Please specify JWT authentication settings');
  await expect(banner(page)).toHaveAttribute('data-colour', 'red');
});

test('a directory as secrets path is refused beside the field with the reason', async ({ page, serve, dataDir }) => {
  await createAdmin(page, serve);
  await openApiTab(page);
  await page.getByLabel('JWT Secret Key File Path').fill(dataDir);
  await submit(page);
  await expect(page.getByText(/is a directory/)).toBeVisible();
  await expect(banner(page)).toContainText('API not active');
});

test('a secrets file in a system location is refused with a plain reason, and no advice to chmod it', async ({ page, serve }) => {
  await createAdmin(page, serve);
  await openApiTab(page);
  await page.getByLabel('JWT Secret Key File Path').fill('/etc/passwd');
  await submit(page);
  await expect(page.getByText(/\/etc\/passwd is in \/etc, a system location/).first()).toBeVisible();
  await expect(page.getByLabel('JWT Secret Key File Path')).toBeFocused();
  await expect(page.getByText(/chmod/)).toHaveCount(0);
  await expect(banner(page)).toContainText('API not active');
  // The host field says where the API listens by default, and why.
  await expect(page.getByText(/0\.0\.0\.0 \(the default, as in raspiCamSrv\) = every network interface/)).toBeVisible();
});

test('a vanished secrets file: red banner with its path, point at the right file, or create a new key that ends the tokens', async ({
  page,
  serve,
  dataDir,
}) => {
  const port = await freePort();
  const secrets = join(dataDir, 'keys', 'campanel.secrets');
  await createAdmin(page, serve);
  await openApiTab(page);
  await page.getByLabel('JWT Secret Key File Path').fill(secrets);
  await page.getByLabel('API host').fill('127.0.0.1');
  await page.getByLabel('API port').fill(String(port));
  await submit(page);
  await restartApi(page);
  await expect(banner(page)).toContainText('API is active');
  await page.getByLabel('Label').fill('door camera');
  await page.getByRole('button', { name: 'Generate Access Token' }).click();
  await page.getByRole('button', { name: 'Done' }).click();

  // The file is moved away: the panel says so, offers no restart, and creates nothing.
  const moved = join(dataDir, 'moved.secrets');
  await rename(secrets, moved);
  await openTab(page, 'General');
  await openTab(page, 'API');
  await expect(banner(page)).toHaveAttribute('data-colour', 'red');
  await expect(banner(page)).toContainText(`secrets file missing: ${secrets}`);
  await expect(banner(page).getByRole('button', { name: 'Restart API' })).toHaveCount(0);
  expect(existsSync(secrets)).toBe(false);

  // Choice one: point at the right file.
  await banner(page).getByRole('button', { name: 'Point at the right file' }).click();
  await expect(page.getByLabel('JWT Secret Key File Path')).toBeFocused();
  await page.getByLabel('JWT Secret Key File Path').fill(moved);
  await submit(page);
  await expect(page.getByText(`Using the JWT key in ${moved}.`)).toBeVisible();
  await restartApi(page);
  await expect(banner(page)).toContainText('API is active');
  await expect(page.getByRole('row', { name: /door camera/ })).toBeVisible();

  // Choice two: create a new key, after a confirmation; the listed tokens end with the old key.
  await rm(moved);
  await openTab(page, 'General');
  await openTab(page, 'API');
  await expect(banner(page)).toContainText(`secrets file missing: ${moved}`);
  await expect(banner(page)).toContainText('The running API keeps using the key it read when it started');
  await banner(page).getByRole('button', { name: 'Create a new key' }).click();
  await page.getByRole('dialog', { name: 'Create a new JWT key in the secrets file?' }).getByRole('button', { name: 'Create new key' }).click();
  await expect(page.getByText(`A new JWT key was written to ${moved}. Every earlier token has ended.`)).toBeVisible();
  expect(existsSync(moved)).toBe(true);
  await expect(page.getByRole('row', { name: /door camera/ })).toHaveCount(0);
  await expect(banner(page)).toContainText('To update the JWT key, restart the API');
  await restartApi(page);
  await expect(banner(page)).toContainText('API is active');
});

test('generate a token, copy it, use it against /api/protected, revoke it', async ({ page, serve, dataDir, context }) => {
  const port = await freePort();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.origin });
  await createAdmin(page, serve);
  await openApiTab(page);
  await expect(page.getByRole('button', { name: 'Generate Access Token' })).toBeDisabled();

  await page.getByLabel('JWT Secret Key File Path').fill(join(dataDir, 'campanel.secrets'));
  await page.getByLabel('API host').fill('127.0.0.1');
  await page.getByLabel('API port').fill(String(port));
  await submit(page);
  await restartApi(page);
  await expect(banner(page)).toContainText('API is active');

  await page.getByLabel('Label').fill('door camera');
  await page.getByRole('button', { name: 'Generate Access Token' }).click();
  const field = page.getByLabel('Access token', { exact: true });
  await expect(field).toHaveJSProperty('readOnly', true);
  const token = (await field.inputValue()).trim();
  expect(token.split('.')).toHaveLength(3);

  await page.getByRole('button', { name: 'Copy to clipboard' }).click();
  await expect(page.getByText('Copied')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(token);

  const api = `http://127.0.0.1:${port}/api/protected`;
  const ok = await fetch(api, { headers: { Authorization: `Bearer ${token}` } });
  expect(ok.status).toBe(200);
  expect(await ok.text()).toBe(`{"message":"Hello, ${ADMIN.name}! You accessed a protected route."}\n`);

  const row = page.getByRole('row', { name: /door camera/ });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByRole('row', { name: /door camera/ })).toHaveCount(0);

  const refused = await fetch(api, { headers: { Authorization: `Bearer ${token}` } });
  expect(refused.status).toBe(401);
  expect(await refused.json()).toEqual({ msg: 'Token has been revoked' });

  // Leaving the tab removes the token from the screen.
  await openTab(page, 'General');
  await openTab(page, 'API');
  await expect(page.getByLabel('Access token', { exact: true })).toHaveCount(0);
});

test('the one-time token leaves the screen after 5 idle minutes and on reload', async ({ page, serve, dataDir }) => {
  await page.clock.install();
  await createAdmin(page, serve);
  await openApiTab(page);
  await page.getByLabel('JWT Secret Key File Path').fill(join(dataDir, 'campanel.secrets'));
  await submit(page);
  await expect(page.getByRole('button', { name: 'Generate Access Token' })).toBeEnabled();

  await page.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(page.getByLabel('Access token', { exact: true })).toBeVisible();
  await page.clock.fastForward('04:50');
  await expect(page.getByLabel('Access token', { exact: true })).toBeVisible();
  await page.clock.fastForward('00:20');
  await expect(page.getByLabel('Access token', { exact: true })).toHaveCount(0);
  await expect(page.getByText('removed from the screen after 5 minutes')).toBeVisible();

  await page.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(page.getByLabel('Access token', { exact: true })).toBeVisible();
  await page.reload();
  await openTab(page, 'API');
  await expect(page.getByRole('heading', { name: 'API Settings' })).toBeVisible();
  await expect(page.getByLabel('Access token', { exact: true })).toHaveCount(0);
});
