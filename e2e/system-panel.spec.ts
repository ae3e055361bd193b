/**
 * Settings → System, Settings → Notifications and the secrets file's passphrase, in Chromium against a real
 * `campanel serve`: the config table (password values masked until revealed, never in documentation.rst), the
 * defaults, the random key, the nodes; a real test mail through a real SMTP server on 127.0.0.1 (and its
 * failures in words); a raspiCamSrv secrets file's mail settings offered on first visit; and a protected
 * secrets file that a new `campanel serve` starts locked until an admin unlocks it in the panel.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { startSmtp as startTestSmtp, type TestSmtp } from '../electron/notifications/test-mail-kit.js';
import { ADMIN, createAdmin, expect, logIn, openApiTab, openTab, test } from './support/fixtures.js';
import { http, json } from './support/http.js';
import { cli, freePort, startServe, type ServeHandle } from './support/serve.js';

const banner = (page: Page) => page.getByTestId('api-banner');

/** The `.field` around a labelled control, where its hint and its error are shown. */
const fieldOf = (page: Page, label: string): Locator =>
  page.locator('.field').filter({ has: page.getByLabel(label, { exact: true }) });

/** API tab: a secrets file in the data directory (and, when given, the API on 127.0.0.1:port), stored with Submit. */
async function configureSecrets(page: Page, secrets: string, port?: number): Promise<void> {
  await openApiTab(page);
  await page.getByLabel('JWT Secret Key File Path').fill(secrets);
  if (port !== undefined) {
    await page.getByLabel('API host').fill('127.0.0.1');
    await page.getByLabel('API port').fill(String(port));
  }
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByText(`Created ${secrets} with a new JWT key`)).toBeVisible();
}

/** Every file below `dir`, for a look for a secret in clear. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** A real SMTP server on 127.0.0.1 (plain, as TLS mode "None" talks to a local relay) that takes one login. */
function startSmtp(login: { user: string; password: string }): Promise<TestSmtp> {
  return startTestSmtp({
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    authOptional: false,
    onAuth(auth, _session, callback) {
      if (auth.username === login.user && auth.password === login.password) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
  });
}

/** A header of a received mail (unfolded). */
function headerOf(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

const configRow = (page: Page, key: string) => page.locator('.config-table tbody tr').filter({ has: page.locator('.config-key', { hasText: new RegExp(`^${key.replace(/\./g, '\\.')}$`) }) });

test.describe('Settings → System', () => {
  const PASSWORD = 'relay-Secret-42!';

  test('config entries: add plain and password, reveal/hide, edit keeps the password, bad keys refused, delete after confirmation', async ({ page, serve, dataDir }) => {
    await createAdmin(page, serve);
    await configureSecrets(page, join(dataDir, 'secrets', 'campanel.secrets'));
    await openTab(page, 'System');
    await expect(page.getByRole('heading', { name: 'Config entries' })).toBeVisible();
    await expect(page.getByText('No entries yet. Add one below.')).toBeVisible();
    const form = page.getByRole('form', { name: 'Add entry' });

    // A plain entry.
    await form.getByLabel('Key', { exact: true }).fill('camera.location');
    await form.getByLabel('Value', { exact: true }).fill('front door');
    await form.getByLabel('Type', { exact: true }).fill('public');
    await form.getByLabel('Description').fill('Where the camera hangs');
    await form.getByRole('button', { name: 'Add entry' }).click();
    await expect(page.getByText('Entry camera.location stored.')).toBeVisible();
    await expect(configRow(page, 'camera.location')).toContainText('front door');
    // The form is empty again for the next one.
    await expect(form.getByLabel('Key', { exact: true })).toHaveValue('');

    // A password entry: its value field is a password field, and the table masks it.
    await form.getByLabel('Key', { exact: true }).fill('relay.password');
    await form.getByLabel('Type', { exact: true }).fill('password');
    await expect(form.getByLabel('Value', { exact: true })).toHaveAttribute('type', 'password');
    await form.getByLabel('Value', { exact: true }).fill(PASSWORD);
    await form.getByLabel('Description').fill('Relay login');
    await form.getByRole('button', { name: 'Add entry' }).click();
    await expect(page.getByText('Entry relay.password stored.')).toBeVisible();
    const secretRow = configRow(page, 'relay.password');
    await expect(secretRow).toContainText('••••••');
    await expect(secretRow).not.toContainText(PASSWORD);
    expect(await page.content()).not.toContain(PASSWORD);

    // Reveal shows it, Hide hides it again.
    await secretRow.getByRole('button', { name: 'Reveal' }).click();
    await expect(secretRow.locator('.config-value__text')).toHaveText(PASSWORD);
    await secretRow.getByRole('button', { name: 'Hide' }).click();
    await expect(secretRow).not.toContainText(PASSWORD);
    await expect(secretRow).toContainText('••••••');

    // Edit: the password is never put into the form; a new description keeps the stored password.
    await secretRow.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit relay.password' });
    await expect(edit.getByLabel('Value', { exact: true })).toHaveValue('');
    await expect(edit.getByText('Leave blank to keep the stored password.')).toBeVisible();
    await edit.getByLabel('Description').fill('Relay login (night shift)');
    await edit.getByRole('button', { name: 'Save entry' }).click();
    await expect(page.getByText('Entry relay.password stored.')).toBeVisible();
    await expect(secretRow).toContainText('Relay login (night shift)');
    await secretRow.getByRole('button', { name: 'Reveal' }).click();
    await expect(secretRow.locator('.config-value__text')).toHaveText(PASSWORD);
    await secretRow.getByRole('button', { name: 'Hide' }).click();

    // Bad keys are refused beside the field, and nothing is stored.
    await form.getByLabel('Key', { exact: true }).fill('bad key');
    await form.getByLabel('Value', { exact: true }).fill('x');
    await form.getByRole('button', { name: 'Add entry' }).click();
    await expect(fieldOf(page, 'Key').locator('.field__error')).toHaveText('A key has no spaces, slashes, ?, # or %');
    await expect(form.getByLabel('Key', { exact: true })).toBeFocused();
    await form.getByLabel('Key', { exact: true }).fill('hsm');
    await form.getByRole('button', { name: 'Add entry' }).click();
    await expect(fieldOf(page, 'Key').locator('.field__error')).toHaveText('This key is the name of a /system endpoint');
    await form.getByLabel('Key', { exact: true }).fill('camera.location');
    await form.getByRole('button', { name: 'Add entry' }).click();
    await expect(fieldOf(page, 'Key').locator('.field__error')).toHaveText('An entry with this key exists: use Edit in the list to change it.');
    await expect(page.locator('.config-table tbody tr')).toHaveCount(2);
    await expect(configRow(page, 'camera.location')).toContainText('front door');

    // Delete: Escape cancels, then the confirmation deletes.
    const plainRow = configRow(page, 'camera.location');
    await plainRow.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete camera.location?' });
    await expect(confirm).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(confirm).toBeHidden();
    await expect(plainRow).toBeVisible();
    await plainRow.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByText('Entry camera.location deleted.')).toBeVisible();
    await expect(plainRow).toHaveCount(0);
    await expect(configRow(page, 'relay.password')).toBeVisible();

    // What the panel shows survives a reload (it is stored, not held by the page), still masked.
    await page.reload();
    await openTab(page, 'System');
    await expect(configRow(page, 'relay.password')).toContainText('Relay login (night shift)');
    await expect(configRow(page, 'relay.password')).toContainText('••••••');
    await expect(configRow(page, 'camera.location')).toHaveCount(0);
    // No file in the data directory holds the password in clear (the secrets file holds only its data key).
    for (const file of await filesUnder(dataDir)) expect(await readFile(file, 'utf8'), file).not.toContain(PASSWORD);
  });

  test('defaults, random key with Copy, documentation.rst without the password, node facts and registered nodes', async ({ page, serve, dataDir, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.origin });
    await createAdmin(page, serve);
    await configureSecrets(page, join(dataDir, 'secrets', 'campanel.secrets'));
    await openTab(page, 'System');

    // A password entry to be left out of the documentation.
    const form = page.getByRole('form', { name: 'Add entry' });
    await form.getByLabel('Key', { exact: true }).fill('relay.password');
    await form.getByLabel('Type', { exact: true }).fill('password');
    await form.getByLabel('Value', { exact: true }).fill(PASSWORD);
    await form.getByRole('button', { name: 'Add entry' }).click();
    await expect(page.getByText('Entry relay.password stored.')).toBeVisible();

    // Defaults: a bad value is refused beside its field; a good one is stored and shown after a reload.
    const maxFail = page.getByLabel('Failed logins before lock-out');
    await expect(maxFail).toHaveValue('6');
    await maxFail.fill('-1');
    await page.getByRole('button', { name: 'Save defaults' }).click();
    await expect(fieldOf(page, 'Failed logins before lock-out').locator('.field__error')).toHaveText('Must be 0 or more');
    await expect(maxFail).toBeFocused();
    await maxFail.fill('1001');
    await page.getByRole('button', { name: 'Save defaults' }).click();
    await expect(fieldOf(page, 'Failed logins before lock-out').locator('.field__error')).toHaveText('Must be at most 1000');
    await maxFail.fill('7');
    await page.getByRole('button', { name: 'Save defaults' }).click();
    await expect(page.getByText('Defaults stored. Network logins use the new limit from now on.')).toBeVisible();
    await expect(fieldOf(page, 'Failed logins before lock-out').locator('.field__error')).toHaveCount(0);
    await page.reload();
    await openTab(page, 'System');
    await expect(page.getByLabel('Failed logins before lock-out')).toHaveValue('7');

    // Random key: 16 bytes in hex are 32 hex characters, base64 24 characters; Copy puts it on the clipboard.
    const length = page.getByLabel('Length in bytes');
    await length.fill('16');
    await expect(fieldOf(page, 'Length in bytes')).toContainText('gives 32 characters');
    await page.getByRole('button', { name: 'Generate' }).click();
    const generated = page.getByLabel('Generated key');
    await expect(generated).toHaveValue(/^[0-9a-f]{32}$/);
    const hex = await generated.inputValue();
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(generated).not.toHaveValue(hex);
    await page.getByLabel('Encoding').selectOption('base64');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(generated).toHaveValue(/^[A-Za-z0-9+/]{22}==$/);
    const base64 = await generated.inputValue();
    expect(Buffer.from(base64, 'base64')).toHaveLength(16);
    await page.getByRole('button', { name: 'Copy key' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(base64);
    // Out of range: refused beside the field.
    await length.fill('0');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(fieldOf(page, 'Length in bytes').locator('.field__error')).toHaveText('At least 1');

    // Documentation: documentation.rst, the title first, the password entry censored.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download documentation' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('documentation.rst');
    const rst = await readFile((await file.path()) ?? '', 'utf8');
    expect(rst.startsWith('CamPanel configuration documentation\n')).toBe(true);
    expect(rst).toContain('relay.password');
    expect(rst).toContain('__CENSORED__');
    expect(rst).not.toContain(PASSWORD);
    await expect(page.getByText('Downloaded documentation.rst.')).toBeVisible();

    // Nodes: this node's name and UUID; register another, then remove it.
    const facts = page.locator('.node-facts');
    const nodeName = (await facts.locator('dd').first().textContent())?.trim() ?? '';
    expect(nodeName.length).toBeGreaterThan(0);
    const ownUuid = (await page.locator('#this-node-uuid').textContent()) ?? '';
    expect(ownUuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(rst).toContain(ownUuid);
    await expect(page.getByText('No other node is registered.')).toBeVisible();

    const register = page.getByRole('form', { name: 'Register a node' });
    await register.getByLabel('Node name').fill('garage pi');
    await register.getByLabel('Node UUID').fill('not-a-uuid');
    await register.getByRole('button', { name: 'Register node' }).click();
    await expect(fieldOf(page, 'Node UUID').locator('.field__error')).toContainText('Enter a UUID');
    await register.getByLabel('Node UUID').fill(ownUuid);
    await register.getByRole('button', { name: 'Register node' }).click();
    await expect(fieldOf(page, 'Node UUID').locator('.field__error')).toHaveText('This is the UUID of this node.');
    const other = '8f14e45f-ceea-467f-a0e6-b1c2d3e4f5a6';
    await register.getByLabel('Node UUID').fill(other);
    await register.getByRole('button', { name: 'Register node' }).click();
    await expect(page.getByText('Node garage pi registered.')).toBeVisible();
    const nodeRow = page.getByRole('row', { name: /garage pi/ });
    await expect(nodeRow).toContainText(other);
    await nodeRow.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove the node garage pi?' }).getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByText('Node garage pi removed.')).toBeVisible();
    await expect(nodeRow).toHaveCount(0);
    await expect(page.getByText('No other node is registered.')).toBeVisible();
  });
});

test.describe('Settings → Notifications', () => {
  const MAIL_USER = 'camera@example.org';
  const MAIL_PASSWORD = 'mail-Secret-99';
  let smtp: TestSmtp | null = null;
  test.afterEach(async () => {
    await smtp?.close();
    smtp = null;
  });

  test('save the mail server, send a real test mail, and the failures in words', async ({ page, serve, dataDir }) => {
    smtp = await startSmtp({ user: MAIL_USER, password: MAIL_PASSWORD });
    await createAdmin(page, serve);
    await configureSecrets(page, join(dataDir, 'secrets', 'campanel.secrets'));
    await openTab(page, 'Notifications');

    await expect(page.getByRole('button', { name: 'Send test mail' })).toBeDisabled();
    await expect(page.getByText('Enter a mail server and save first.')).toBeVisible();
    await page.getByLabel('Mail server').fill('127.0.0.1');
    await page.getByLabel('TLS mode').selectOption('none');
    await page.getByLabel('Port').fill(String(smtp.port));
    await page.getByLabel('User').fill(MAIL_USER);
    await page.getByLabel('Password', { exact: true }).fill(MAIL_PASSWORD);
    await page.getByLabel('Sender').fill('panel@example.org');
    await page.getByLabel('Recipient').fill('owner@example.org');
    await expect(page.getByText('Save your changes first: the test uses the stored settings.')).toBeVisible();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Notification settings stored.')).toBeVisible();

    // The password is stored and never shown: no field holds it, the page does not contain it.
    const passwordField = page.locator('.field').filter({ has: page.locator('.field__label', { hasText: /^Password$/ }) });
    await expect(passwordField).toContainText('A password is stored');
    await expect(page.getByLabel('Password', { exact: true })).toHaveCount(0);
    expect(await page.content()).not.toContain(MAIL_PASSWORD);
    await page.reload();
    await openTab(page, 'Notifications');
    await expect(page.getByLabel('Mail server')).toHaveValue('127.0.0.1');
    await expect(page.getByLabel('Port')).toHaveValue(String(smtp.port));
    await expect(page.getByLabel('TLS mode')).toHaveValue('none');
    await expect(passwordField).toContainText('A password is stored');
    expect(await page.content()).not.toContain(MAIL_PASSWORD);

    // A real mail, through the real server, with the stored login.
    await page.getByRole('button', { name: 'Send test mail' }).click();
    const result = page.getByTestId('test-mail-result');
    await expect(result).toHaveText(`The mail server 127.0.0.1:${smtp.port} accepted the mail to owner@example.org.`, { timeout: 20_000 });
    await expect(result.locator('.notice--success')).toBeVisible();
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['owner@example.org']);
    expect(mail.from).toBe('panel@example.org');
    expect(mail.user).toBe(MAIL_USER);
    expect(headerOf(mail.raw, 'Subject')).toBe('CamPanel test mail');
    expect(headerOf(mail.raw, 'To')).toBe('owner@example.org');
    expect(smtp.logins).toEqual([{ user: MAIL_USER, password: MAIL_PASSWORD }]);

    // A wrong password: the server refuses the login, and the panel says so (without the password).
    await passwordField.getByRole('button', { name: 'Change password' }).click();
    await page.getByLabel('Password', { exact: true }).fill('wrong-mail-password');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Notification settings stored.')).toBeVisible();
    await page.getByRole('button', { name: 'Send test mail' }).click();
    await expect(result).toHaveText(`The mail server 127.0.0.1:${smtp.port} refused the user name or password.`, { timeout: 20_000 });
    await expect(result.locator('.notice--error')).toBeVisible();
    expect(smtp.received).toHaveLength(1);
    expect(smtp.logins.at(-1)).toEqual({ user: MAIL_USER, password: 'wrong-mail-password' });

    // The server gone: nothing accepts connections there.
    const port = smtp.port;
    await smtp.close();
    smtp = null;
    await page.getByRole('button', { name: 'Send test mail' }).click();
    await expect(result).toHaveText(`Nothing accepts connections at 127.0.0.1:${port} (connection refused). Check the host and port.`, {
      timeout: 20_000,
    });
    await expect(result.locator('.notice--error')).toBeVisible();

    // A bad sender is refused beside its field.
    await page.getByLabel('Sender').fill('not an address');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(fieldOf(page, 'Sender').locator('.field__error')).toHaveText('Enter one mail address, such as camera@example.org');
  });

  test('after saving only a new password, the form forgets it and has nothing left to save', async ({ page, serve, dataDir }) => {
    // A new password alone leaves the stored view as it was (passwordSet stays true): the form must still start over.
    await createAdmin(page, serve);
    await configureSecrets(page, join(dataDir, 'secrets', 'campanel.secrets'));
    await openTab(page, 'Notifications');
    await page.getByLabel('Mail server').fill('127.0.0.1');
    await page.getByLabel('User').fill(MAIL_USER);
    await page.getByLabel('Password', { exact: true }).fill(MAIL_PASSWORD);
    await page.getByLabel('Sender').fill('panel@example.org');
    await page.getByLabel('Recipient').fill('owner@example.org');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.locator('.mail-password__state')).toHaveText('A password is stored');

    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByLabel('Password', { exact: true }).fill('another-mail-password');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Notification settings stored.')).toBeVisible();
    await expect(page.locator('.mail-password__state')).toHaveText('A password is stored', { timeout: 3_000 });
    await expect(page.getByLabel('Password', { exact: true })).toHaveCount(0, { timeout: 1_000 });
    await expect(page.getByText('Save your changes first')).toHaveCount(0, { timeout: 1_000 });
    expect(await page.content()).not.toContain('another-mail-password');
  });

  test("a raspiCamSrv secrets file's eventnotification section fills in the tab", async ({ page, dataDir }) => {
    const folder = join(dataDir, 'raspi');
    const secrets = join(folder, 'raspiCamSrv.secrets');
    await mkdir(folder, { mode: 0o700 });
    const raspiPassword = 'raspi-Mail-Secret-7';
    await writeFile(
      secrets,
      JSON.stringify(
        {
          eventnotification: {
            host: 'smtp.example.org',
            port: 465,
            useSSL: true,
            authentication: true,
            user: 'pi@example.org',
            password: raspiPassword,
          },
        },
        null,
        4,
      ),
      { mode: 0o600 },
    );
    const configured = await cli(['api', 'configure', '--secrets-file', secrets, '--data-dir', dataDir]);
    expect(configured.code, configured.stderr).toBe(0);
    let serve: ServeHandle | null = null;
    try {
      serve = await startServe(dataDir);
      await createAdmin(page, serve);
      await openTab(page, 'Notifications');
      await expect(page.getByText('Filled in from the raspiCamSrv secrets file; Save to keep them.')).toBeVisible();
      await expect(page.getByLabel('Mail server')).toHaveValue('smtp.example.org');
      await expect(page.getByLabel('Port')).toHaveValue('465');
      await expect(page.getByLabel('TLS mode')).toHaveValue('tls');
      await expect(page.getByLabel('User')).toHaveValue('pi@example.org');
      await expect(page.locator('.mail-password__state')).toHaveText('A password is stored');
      expect(await page.content()).not.toContain(raspiPassword);

      // Save keeps them: the notice goes, the values stay, the password is still raspiCamSrv's.
      await page.getByLabel('Sender').fill('pi@example.org');
      await page.getByLabel('Recipient').fill('owner@example.org');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(page.getByText('Notification settings stored.')).toBeVisible();
      await expect(page.getByText('Filled in from the raspiCamSrv secrets file')).toHaveCount(0);
      await expect(page.getByLabel('Mail server')).toHaveValue('smtp.example.org');
      const file = JSON.parse(await readFile(secrets, 'utf8')) as { eventnotification: Record<string, unknown>; jwtSecrets?: unknown };
      expect(file.eventnotification).toMatchObject({ host: 'smtp.example.org', port: 465, useSSL: true, user: 'pi@example.org', password: raspiPassword });
      expect(file.jwtSecrets).toBeDefined();
    } finally {
      await serve?.stop();
    }
  });
});

test('a passphrase-protected secrets file: a new serve starts locked; a wrong passphrase is refused; the right one starts the API', async ({
  page,
  serve,
  dataDir,
}) => {
  test.setTimeout(90_000);
  const port = await freePort();
  const secrets = join(dataDir, 'secrets', 'campanel.secrets');
  const passphrase = 'long enough passphrase 1';
  const apiLogin = () => http(`http://127.0.0.1:${port}/api/login`, { method: 'POST', ...json({ username: ADMIN.name, password: ADMIN.password }) });
  /** While locked, the API port answers 503 {"msg":"Secrets locked: …"} (docs/openapi.json: SecretsLocked). */
  const expectLocked = async () => {
    const answer = await apiLogin();
    expect(answer.status).toBe(503);
    expect(answer.body).toBe('{"msg":"Secrets locked: the API starts once an admin unlocks the secrets file"}\n');
  };

  await createAdmin(page, serve);
  await configureSecrets(page, secrets, port);
  await banner(page).getByRole('button', { name: 'Restart API' }).click();
  await expect(banner(page)).toContainText('API is active');
  expect((await apiLogin()).status).toBe(200);

  await openTab(page, 'System');
  await expect(page.getByTestId('secrets-lock-state')).toHaveAttribute('data-state', 'notProtected');
  await expect(page.getByTestId('secrets-lock-state')).toContainText('Not protected');

  // Protect it on the API tab: a short passphrase and a different repetition are refused; then the confirmation.
  await openTab(page, 'API');
  await expect(page.getByTestId('passphrase-state')).toHaveAttribute('data-state', 'notProtected');
  await page.getByLabel('New passphrase', { exact: true }).fill('too short');
  await page.getByLabel('Repeat new passphrase').fill('too short');
  await page.getByRole('button', { name: 'Protect with passphrase' }).click();
  await expect(fieldOf(page, 'New passphrase').locator('.field__error')).toHaveText('Use at least 12 characters');
  await page.getByLabel('New passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat new passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Protect with passphrase' }).click();
  const question = page.getByRole('dialog', { name: 'Protect the secrets file with a passphrase?' });
  await expect(question).toContainText('raspiCamSrv can no longer read a protected secrets file');
  await question.getByRole('button', { name: 'Protect' }).click();
  await expect(page.getByText('The secrets file is protected. Unlock it after every restart of CamPanel.')).toBeVisible();
  await expect(page.getByTestId('passphrase-state')).toHaveAttribute('data-state', 'unlocked');
  const onDisk = await readFile(secrets, 'utf8');
  expect(Object.keys(JSON.parse(onDisk) as object)).toEqual(['campanelProtected']);
  // Still running in this process.
  expect((await apiLogin()).status).toBe(200);

  // A new serve on the same data directory and panel port.
  const panelPort = new URL(serve.origin).port;
  await serve.stop();
  let again: ServeHandle | null = null;
  try {
    again = await startServe(dataDir, ['--panel-port', panelPort]);
    expect(again.apiLine).toMatch(/^inactive \(Secrets locked/);
    await page.goto(again.panelUrl);
    if (await page.getByRole('heading', { name: 'Log in to CamPanel' }).isVisible()) await logIn(page, ADMIN.name, ADMIN.password);
    await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
    // The API answers nothing but "locked" until then.
    await expectLocked();

    await openTab(page, 'System');
    await expect(page.getByTestId('secrets-lock-state')).toHaveAttribute('data-state', 'locked');
    await expect(page.getByTestId('secrets-lock-state')).toContainText('Locked');

    await openTab(page, 'API');
    await expect(banner(page)).toContainText('Secrets locked');
    await expect(banner(page)).toHaveAttribute('data-colour', 'red');
    const unlock = page.getByRole('form', { name: 'Unlock the secrets file' });
    await expect(unlock).toBeVisible();
    await expect(page.getByTestId('passphrase-state')).toHaveAttribute('data-state', 'locked');

    // A wrong passphrase: refused in words beside the field; still locked.
    await unlock.getByLabel('Passphrase', { exact: true }).fill('not the passphrase');
    await unlock.getByRole('button', { name: 'Unlock' }).click();
    await expect(unlock.locator('.field__error')).toHaveText('Wrong passphrase (or the file was changed since it was protected): the secrets file stays locked');
    await expect(unlock.getByText('The secrets file is still locked.')).toBeVisible();
    await expect(unlock.getByLabel('Passphrase', { exact: true })).toHaveValue('');
    await expect(banner(page)).toContainText('Secrets locked');
    await expectLocked();

    // The right one: the API starts, and logs in again.
    await unlock.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await unlock.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByText('Secrets file unlocked.')).toBeVisible();
    await expect(banner(page)).toContainText('API is active');
    await expect(banner(page)).toHaveAttribute('data-colour', 'green');
    await expect(page.getByRole('form', { name: 'Unlock the secrets file' })).toHaveCount(0);
    const login = await apiLogin();
    expect(login.status).toBe(200);
    expect(JSON.parse(login.body)).toHaveProperty('access_token');

    await openTab(page, 'System');
    await expect(page.getByTestId('secrets-lock-state')).toHaveAttribute('data-state', 'unlocked');
    await expect(page.getByTestId('secrets-lock-state')).toContainText('Protected');
    // The file stayed protected all along.
    expect(Object.keys(JSON.parse(await readFile(secrets, 'utf8')) as object)).toEqual(['campanelProtected']);
  } finally {
    await again?.stop();
  }
});
