import { readFile, writeFile } from 'node:fs/promises';
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

  expect(await serve.stop()).toBe(0); // SIGTERM stops it cleanly and releases the data directory
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

test('Export configuration, then Import brings the settings back; a foreign file is refused', async ({ page, serve }) => {
  await createAdmin(page, serve);
  await openTab(page, 'General');
  await page.getByLabel('Allow access through API').check();
  await expect(page.getByRole('tab', { name: 'API' })).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export configuration' }).click();
  const exported = await readFile((await (await download).path()) ?? '', 'utf8');
  expect(JSON.parse(exported).settings.general.allowApi).toBe(true);

  await page.getByLabel('Allow access through API').uncheck();
  await expect(page.getByRole('tab', { name: 'API' })).toHaveCount(0);

  await page.getByLabel('Import configuration').setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await expect(page.getByText('Configuration imported from config.json.')).toBeVisible();
  await expect(page.getByRole('tab', { name: 'API' })).toBeVisible();
  await expect(page.getByLabel('Allow access through API')).toBeChecked();

  await page.getByLabel('Import configuration').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":"world"}') });
  await expect(page.getByText(/Not a CamPanel configuration/)).toBeVisible();
  await expect(page.getByLabel('Allow access through API')).toBeChecked();
});
