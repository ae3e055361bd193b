/**
 * `npm run screenshots`: every screen of the panel at the two sizes its users see (a Pi touchscreen or VNC
 * session at 800×480, a desktop at 1280×800), written to docs/screenshots/ for the README. The small size
 * uses a touch (coarse) pointer, as the Pi touchscreen does.
 */
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { startSmtp } from '../electron/notifications/test-mail-kit.js';
import { ALICE, startCameraServe } from './support/camera-serve.js';
import { ADMIN, createAdmin, expect, logIn, openScreen, openTab, test } from './support/fixtures.js';
import { freePort, startServe, type ServeHandle } from './support/serve.js';

const SIZES = [
  { name: 'small', width: 800, height: 480, touch: true },
  { name: 'desktop', width: 1280, height: 800, touch: false },
];

const shot = (page: Page, screen: string, size: string) =>
  page.screenshot({ path: join(process.cwd(), 'docs', 'screenshots', `${screen}-${size}.png`), fullPage: false });

async function newPage(browser: Browser, size: (typeof SIZES)[number]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, hasTouch: size.touch });
  return context.newPage();
}

/** A plain SMTP server on 127.0.0.1 that takes any login and every mail, for the test mail's success. */
const startMailSink = () => startSmtp({ allowInsecureAuth: true, disabledCommands: ['STARTTLS'] });

const framesOf = async (page: Page, camera: number) => Number(await page.getByTestId(`live-preview-${camera}`).getAttribute('data-frames'));

for (const size of SIZES) {
  test(`first run, the API banner's states and login at ${size.width}x${size.height}`, async ({ browser, serve, dataDir }) => {
    const page = await newPage(browser, size);
    await page.goto(`${serve.origin}/?token=not-a-valid-token`);
    await shot(page, 'link-refused', size.name);
    await page.goto(serve.panelUrl);
    await expect(page.getByRole('heading', { name: 'Create administrator' })).toBeVisible();
    await shot(page, 'first-run', size.name);
    await createAdmin(page, serve);
    await openTab(page, 'General');
    await page.getByLabel('Allow access through API').check();
    await expect(page.getByRole('tab', { name: 'API' })).toBeVisible();
    await openTab(page, 'API');
    await shot(page, 'settings-api-red', size.name);
    await page.getByLabel('JWT Secret Key File Path').fill(join(dataDir, 'campanel.secrets'));
    await page.getByLabel('API host').fill('127.0.0.1');
    await page.getByLabel('API port').fill(String(await freePort()));
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect(page.getByTestId('api-banner')).toContainText('To activate the API');
    // After Submit, the banner and its Restart API button are in view without scrolling.
    await expect(page.getByTestId('api-banner').getByRole('button', { name: 'Restart API' })).toBeInViewport();
    await shot(page, 'settings-api-yellow', size.name);
    await page.getByTestId('api-banner').getByRole('button', { name: 'Restart API' }).click();
    await expect(page.getByTestId('api-banner')).toContainText('API is active');
    await shot(page, 'settings-api-green', size.name);
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page.getByRole('heading', { name: 'Log in to CamPanel' })).toBeVisible();
    await shot(page, 'login', size.name);
    await page.context().close();
  });

  test(`camera panel at ${size.width}x${size.height}`, async ({ browser }) => {
    test.setTimeout(120_000);
    const camera = await startCameraServe({ fps: 15 });
    const page = await newPage(browser, size);
    try {
      await page.goto(camera.serve.panelUrl);
      await logIn(page, ALICE.name, ALICE.password);
      await expect.poll(() => framesOf(page, 0), { timeout: 20_000 }).toBeGreaterThan(10);
      await expect.poll(() => framesOf(page, 1), { timeout: 20_000 }).toBeGreaterThan(10);
      await shot(page, 'live', size.name);

      await page.getByRole('button', { name: 'Take photo', exact: true }).click();
      await expect(page.getByTestId('capture-result')).toContainText('.jpg');
      await page.getByRole('button', { name: 'Record', exact: true }).click();
      await expect(page.getByTestId('recording-elapsed')).toHaveText(/0:0[2-9]/, { timeout: 10_000 });
      await shot(page, 'live-recording', size.name);
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      await expect(page.getByTestId('capture-result')).toContainText('.mp4', { timeout: 15_000 });
      await page.getByRole('button', { name: 'Switch camera' }).click();
      await page.getByRole('button', { name: 'Take photo', exact: true }).click();
      await expect(page.getByTestId('capture-result')).toContainText('.jpg');
      await page.getByRole('button', { name: 'Switch camera' }).click();

      await openScreen(page, 'Captures');
      await expect(page.getByTestId('captures-grid')).toHaveAttribute('data-ready', 'true');
      await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid="capture-tile"] img')).every((img) => (img as HTMLImageElement).complete));
      await shot(page, 'captures', size.name);
      await page.getByTestId('capture-tile').last().click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await shot(page, 'capture-viewer', size.name);
      await page.keyboard.press('Escape');

      await openTab(page, 'Camera');
      await shot(page, 'settings-camera', size.name);
      await openTab(page, 'API');
      await page.getByLabel('Label').fill('door camera');
      await page.getByRole('button', { name: 'Generate Access Token' }).click();
      await page.getByRole('button', { name: 'Copy to clipboard' }).scrollIntoViewIfNeeded();
      await shot(page, 'settings-api-token', size.name);
      await openTab(page, 'Users');
      await shot(page, 'settings-users', size.name);
      await openTab(page, 'General');
      await shot(page, 'settings-general', size.name);

      await openScreen(page, 'Live');
      process.kill(camera.serve.pid, 'SIGSTOP');
      try {
        await expect(page.getByTestId('connection-lost')).toBeVisible({ timeout: 3_000 });
        await shot(page, 'connection-lost', size.name);
      } finally {
        process.kill(camera.serve.pid, 'SIGCONT');
      }
    } finally {
      await page.context().close();
      await camera.close();
    }
  });

  test(`System, Notifications and a locked secrets file at ${size.width}x${size.height}`, async ({ browser, serve, dataDir }) => {
    test.setTimeout(90_000);
    const mail = await startMailSink();
    let page = await newPage(browser, size);
    let again: ServeHandle | null = null;
    try {
      await createAdmin(page, serve);
      await openTab(page, 'General');
      await page.getByLabel('Allow access through API').check();
      await openTab(page, 'API');
      await page.getByLabel('JWT Secret Key File Path').fill(join(dataDir, 'secrets', 'campanel.secrets'));
      await page.getByLabel('API host').fill('127.0.0.1');
      await page.getByLabel('API port').fill(String(await freePort()));
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.getByTestId('api-banner').getByRole('button', { name: 'Restart API' }).click();
      await expect(page.getByTestId('api-banner')).toContainText('API is active');

      // System: three entries, one of two passwords revealed.
      await openTab(page, 'System');
      const add = page.getByRole('form', { name: 'Add entry' });
      for (const entry of [
        { key: 'camera.location', value: 'front door', type: 'public', desc: 'Where the camera hangs' },
        { key: 'mqtt.password', value: 'broker-Secret-1', type: 'password', desc: 'MQTT broker login' },
        { key: 'relay.password', value: 'relay-Secret-42', type: 'password', desc: 'Door relay login' },
      ]) {
        await add.getByLabel('Key', { exact: true }).fill(entry.key);
        await add.getByLabel('Type', { exact: true }).fill(entry.type);
        await add.getByLabel('Value', { exact: true }).fill(entry.value);
        await add.getByLabel('Description').fill(entry.desc);
        await add.getByRole('button', { name: 'Add entry' }).click();
        await expect(page.getByText(`Entry ${entry.key} stored.`)).toBeVisible();
      }
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, 'settings-system', size.name);
      const relay = page.locator('.config-table tbody tr').filter({ hasText: 'relay.password' });
      await relay.getByRole('button', { name: 'Reveal' }).click();
      await expect(relay).toContainText('relay-Secret-42');
      await page.getByRole('heading', { name: 'Config entries' }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
      await shot(page, 'settings-system-config', size.name);

      // Notifications: stored, and a test mail the server accepted.
      await openTab(page, 'Notifications');
      await page.getByLabel('Mail server').fill('127.0.0.1');
      await page.getByLabel('TLS mode').selectOption('none');
      await page.getByLabel('Port').fill(String(mail.port));
      await page.getByLabel('User').fill('camera@example.org');
      await page.getByLabel('Password', { exact: true }).fill('mail-Secret-99');
      await page.getByLabel('Sender').fill('camera@example.org');
      await page.getByLabel('Recipient').fill('owner@example.org');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(page.getByText('Notification settings stored.')).toBeVisible();
      await page.getByRole('button', { name: 'Send test mail' }).click();
      await expect(page.getByTestId('test-mail-result')).toContainText('accepted the mail', { timeout: 20_000 });
      await page.getByTestId('test-mail-result').evaluate((result) => result.scrollIntoView({ block: 'center' }));
      await shot(page, 'settings-notifications', size.name);

      // Protect the secrets file, start a new serve on the same port: the API tab says locked and offers Unlock.
      await openTab(page, 'API');
      await page.getByLabel('New passphrase', { exact: true }).fill('long enough passphrase 1');
      await page.getByLabel('Repeat new passphrase').fill('long enough passphrase 1');
      await page.getByRole('button', { name: 'Protect with passphrase' }).click();
      await page.getByRole('dialog', { name: 'Protect the secrets file with a passphrase?' }).getByRole('button', { name: 'Protect' }).click();
      await expect(page.getByTestId('passphrase-state')).toHaveAttribute('data-state', 'unlocked');
      const panelPort = new URL(serve.origin).port;
      await page.context().close();
      await serve.stop();
      again = await startServe(dataDir, ['--panel-port', panelPort]);
      page = await newPage(browser, size);
      await page.goto(again.panelUrl);
      await logIn(page, ADMIN.name, ADMIN.password);
      await openTab(page, 'API');
      await expect(page.getByTestId('api-banner')).toContainText('Secrets locked');
      await expect(page.getByRole('form', { name: 'Unlock the secrets file' })).toBeVisible();
      await shot(page, 'settings-api-locked', size.name);
    } finally {
      await page.context().close();
      await again?.stop();
      await mail.close();
    }
  });
}
