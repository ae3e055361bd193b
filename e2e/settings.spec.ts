import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ADMIN, createAdmin, expect, logIn, openApiTab, openScreen, openTab, test } from './support/fixtures.js';
import { freePort, startServe } from './support/serve.js';

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

test('General tab: unticking "Allow access through API" says the API still runs until restarted, with Restart API beside it', async ({
  page,
  serve,
  dataDir,
}) => {
  const port = await freePort();
  await createAdmin(page, serve);
  await openApiTab(page);
  await page.getByLabel('JWT Secret Key File Path').fill(join(dataDir, 'campanel.secrets'));
  await page.getByLabel('API host').fill('127.0.0.1');
  await page.getByLabel('API port').fill(String(port));
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByTestId('api-banner').getByRole('button', { name: 'Restart API' }).click();
  await expect(page.getByTestId('api-banner')).toContainText('API is active');

  await openTab(page, 'General');
  await page.getByLabel('Allow access through API').uncheck();
  const notice = page.getByTestId('allow-api-notice');
  await expect(notice).toContainText('Saved. API access is not allowed, but the API is still running until you restart it.');
  // True: the API still answers.
  const login = () => fetch(`http://127.0.0.1:${port}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  expect((await login()).status).toBeLessThan(500);

  await notice.getByRole('button', { name: 'Restart API' }).click();
  await expect(notice).toContainText('Saved. API access is not allowed; the API is not running.');
  await expect(notice.getByRole('button', { name: 'Restart API' })).toHaveCount(0);
  await expect(login()).rejects.toThrow();
});

test('a partly broken settings file starts with defaults for the broken fields and a warning naming them', async ({ page, dataDir }) => {
  await writeFile(
    join(dataDir, 'settings.json'),
    JSON.stringify({ general: { allowApi: true }, api: { secretsFilePath: '', accessTokenMinutes: 'sixty', refreshTokenDays: 3, host: '0.0.0.0', port: 99999 } }),
  );
  const serve = await startServe(dataDir);
  try {
    await createAdmin(page, serve);
    await openScreen(page, 'Settings');
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

  // Nothing is replaced before a yes: the changes are listed first.
  const importFile = (name: string, content: string) =>
    page.getByLabel('Import configuration').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
  await importFile('config.json', exported);
  const confirm = page.getByRole('group', { name: 'Confirm import' });
  await expect(confirm).toContainText('Importing config.json replaces these settings:');
  await expect(confirm).toContainText('Allow access through API: no → yes');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByLabel('Allow access through API')).not.toBeChecked();

  await importFile('config.json', exported);
  await confirm.getByRole('button', { name: 'Replace settings' }).click();
  await expect(page.getByText('Configuration imported from config.json.')).toBeVisible();
  await expect(page.getByRole('tab', { name: 'API' })).toBeVisible();
  await expect(page.getByLabel('Allow access through API')).toBeChecked();

  await importFile('other.json', '{"hello":"world"}');
  await expect(page.getByText('This is not a CamPanel configuration (it was not made by "Export configuration").')).toBeVisible();
  await expect(page.getByLabel('Allow access through API')).toBeChecked();

  // Every problem, in the panel's words.
  const broken = JSON.parse(exported) as { settings: { api: Record<string, unknown> } };
  broken.settings.api['accessTokenMinutes'] = -1;
  broken.settings.api['port'] = 'http';
  await importFile('broken.json', JSON.stringify(broken));
  await expect(page.getByText('Nothing was imported: broken.json has 2 problems.')).toBeVisible();
  const problems = page.getByRole('list', { name: 'Problems in the file' });
  await expect(problems.getByRole('listitem')).toHaveText(['Access Token Expiration in Minutes: Must be 0 or more', 'API port must be a number']);
  await expect(confirm).toHaveCount(0);
});
