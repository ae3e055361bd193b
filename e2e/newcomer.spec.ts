/**
 * The "done when": a newcomer, using only the panel, goes from a fresh install to a working
 * request against /api/protected, with the recommended secrets path under their home directory.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ADMIN, createAdmin, expect, openApiTab, test } from './support/fixtures.js';
import { freePort, freshDataDir, removeDir, startServe } from './support/serve.js';

test('fresh install → panel only → a working request against /api/protected', async ({ page, dataDir, context }) => {
  const home = await freshDataDir();
  const serve = await startServe(dataDir, [], { HOME: home });
  try {
    const port = await freePort();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.origin });
    await createAdmin(page, serve);
    // The panel opens on Live, with the camera in the top bar.
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Live', exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await openApiTab(page);
    await page.getByRole('button', { name: 'Use recommended path' }).click();
    await expect(page.getByLabel('JWT Secret Key File Path')).toHaveValue('~/.secrets/campanel.secrets');
    // Tests listen on loopback only; a newcomer would keep 0.0.0.0:5000.
    await page.getByLabel('API host').fill('127.0.0.1');
    await page.getByLabel('API port').fill(String(port));
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect(page.getByTestId('api-banner')).toContainText('To activate the API, restart the API');

    // What "~" became, and that the file was created.
    const secrets = join(home, '.secrets', 'campanel.secrets');
    await expect(page.getByText(`Created ${secrets} with a new JWT key (folder 0700, file 0600).`)).toBeVisible();
    await expect(page.getByText(`The stored path is ${secrets}`)).toBeVisible();
    expect((await stat(join(home, '.secrets'))).mode & 0o777).toBe(0o700);
    expect((await stat(secrets)).mode & 0o777).toBe(0o600);

    await page.getByTestId('api-banner').getByRole('button', { name: 'Restart API' }).click();
    await expect(page.getByTestId('api-banner')).toContainText('API is active');
    await page.getByRole('button', { name: 'Generate Access Token' }).click();
    await page.getByRole('button', { name: 'Copy to clipboard' }).click();
    const token = await page.evaluate(() => navigator.clipboard.readText());

    const response = await fetch(`http://127.0.0.1:${port}/api/protected`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: `Hello, ${ADMIN.name}! You accessed a protected route.` });
  } finally {
    await serve.stop();
    await removeDir(home);
  }
});
