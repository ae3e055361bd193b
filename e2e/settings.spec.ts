import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ADMIN, createAdmin, expect, logIn, openTab, test } from './support/fixtures.js';
import { startServe } from './support/serve.js';

test('General tab: "Allow access through API" shows the API tab and survives a restart of serve', async ({ page, serve, dataDir }) => {
  await createAdmin(page, serve);
  await openTab(page, 'General');
  const allow = page.getByLabel('Allow access through API');
  await expect(allow).not.toBeChecked();
  await expect(page.getByRole('tab', { name: 'API' })).toHaveCount(0);

  await allow.check();
  await expect(page.getByRole('tab', { name: 'API' })).toBeVisible();

  await serve.stop();
  const again = await startServe(dataDir);
  try {
    await page.goto(again.panelUrl);
    await logIn(page, ADMIN.name, ADMIN.password);
    await openTab(page, 'General');
    await expect(page.getByLabel('Allow access through API')).toBeChecked();
    await expect(page.getByRole('tab', { name: 'API' })).toBeVisible();

    await page.getByLabel('Allow access through API').uncheck();
    await expect(page.getByRole('tab', { name: 'API' })).toHaveCount(0);
  } finally {
    await again.stop();
  }
});

test('a partly broken settings file starts with defaults for the broken fields and a warning naming them', async ({ page, dataDir }) => {
  await writeFile(
    join(dataDir, 'settings.json'),
    JSON.stringify({ general: { allowApi: true }, api: { secretsFilePath: '', accessTokenMinutes: 'sixty', refreshTokenDays: 3, host: '0.0.0.0', port: 99999 } }),
  );
  const serve = await startServe(dataDir);
  try {
    await createAdmin(page, serve);
    await expect(page.getByText('Some settings could not be read')).toBeVisible();
    await expect(page.getByText(/accessTokenMinutes/)).toBeVisible();
    await expect(page.getByText(/port/).first()).toBeVisible();
    await expect(page.getByText(/settings\.json\.bak/)).toBeVisible();
    // Valid fields were kept.
    await expect(page.getByRole('tab', { name: 'API' })).toBeVisible();
  } finally {
    await serve.stop();
  }
});
