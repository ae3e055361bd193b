/**
 * The JWT key must never leave the secrets file: not in an IPC (panel RPC) response, an export,
 * a log line, the server's output or the settings, users and tokens files.
 * This drives a full run and then searches all of it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAdmin, expect, openApiTab, openTab, test } from './support/fixtures.js';
import { freePort } from './support/serve.js';

test('the JWT key appears in no RPC response, export, log line or server output', async ({ page, serve, dataDir }) => {
  const responses: string[] = [];
  page.on('response', async (response) => {
    if (response.url().includes('/rpc/')) responses.push(await response.text().catch(() => ''));
  });
  const port = await freePort();
  const secretsPath = join(dataDir, 'keys', 'campanel.secrets');

  await createAdmin(page, serve);
  await openApiTab(page);
  await page.getByLabel('JWT Secret Key File Path').fill(secretsPath);
  await page.getByLabel('API host').fill('127.0.0.1');
  await page.getByLabel('API port').fill(String(port));
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByTestId('api-banner').getByRole('button', { name: 'Restart API' }).click();
  await expect(page.getByTestId('api-banner')).toContainText('API is active');
  await page.getByRole('button', { name: 'Generate Access Token' }).click();
  await expect(page.getByLabel('Access token', { exact: true })).toBeVisible();

  await openTab(page, 'General');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export configuration' }).click();
  const exported = await readFile((await (await download).path()) ?? '', 'utf8');
  expect(JSON.parse(exported).settings.api.secretsFilePath).toBe(secretsPath);

  await serve.stop(); // flush logs
  const key = JSON.parse(await readFile(secretsPath, 'utf8')).jwtSecrets.jwtSecretKey as string;
  expect(key.length).toBeGreaterThanOrEqual(43);

  const logDir = join(dataDir, 'logs');
  const logs = await Promise.all((await readdir(logDir)).map((file) => readFile(join(logDir, file), 'utf8')));
  expect(logs.join('').length).toBeGreaterThan(0);
  expect(responses.length).toBeGreaterThan(5);

  const stores = await Promise.all(['settings.json', 'users.json', 'tokens.json'].map((file) => readFile(join(dataDir, file), 'utf8')));
  const haystacks = {
    responses: responses.join('\n'),
    export: exported,
    logs: logs.join('\n'),
    output: serve.output(),
    'the data directory stores': stores.join('\n'),
  };
  for (const [where, text] of Object.entries(haystacks)) {
    expect(text.includes(key), `the key leaked into ${where}`).toBe(false);
  }
});
