/**
 * Settings → Camera against a real `campanel serve` with two test cameras: a new resolution is applied
 * and the preview comes back at it while the other camera keeps running; a bad value is refused beside its
 * field by the page, and again by the main process when the page is bypassed.
 */
import { expect, test } from '@playwright/test';
import { ALICE, startCameraServe, type CameraServe } from './support/camera-serve.js';
import { logIn, openTab } from './support/fixtures.js';

let camera: CameraServe;
test.beforeEach(async ({ page }) => {
  camera = await startCameraServe();
  await page.goto(camera.serve.panelUrl);
  await logIn(page, ALICE.name, ALICE.password);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});
test.afterEach(async () => camera.close());

test('a new resolution is applied and the preview comes back at that size; only that camera restarts', async ({ page }) => {
  const preview = page.getByTestId('live-preview-0');
  await expect.poll(async () => Number(await preview.getAttribute('data-frames')), { timeout: 20_000 }).toBeGreaterThan(5);
  expect(await preview.getAttribute('data-width')).toBe('320');

  await openTab(page, 'Camera');
  const card = page.getByRole('region', { name: 'Camera 0' });
  await card.getByLabel('Width').fill('640');
  await card.getByLabel('Height').fill('480');
  await page.getByRole('button', { name: 'Apply' }).click();
  const result = page.getByTestId('camera-apply-result');
  await expect(result).toContainText('Camera 0 restarted');
  await expect(result).toContainText('640×480');
  await expect(result).not.toContainText('Camera 1 restarted');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Live' }).click();
  await expect.poll(async () => page.getByTestId('live-preview-0').getAttribute('data-width'), { timeout: 20_000 }).toBe('640');
  expect(await page.getByTestId('live-preview-0').getAttribute('data-height')).toBe('480');
});

test('a bad value is refused beside its field, by the page and by the main process', async ({ page }) => {
  await openTab(page, 'Camera');
  const card = page.getByRole('region', { name: 'Camera 0' });
  const width = card.getByLabel('Width');
  await width.fill('641');
  await page.getByRole('button', { name: 'Apply' }).click();
  // Refused beside the field: the field is marked invalid and described by the message.
  await expect(width).toHaveAttribute('aria-invalid', 'true');
  const describedBy = (await width.getAttribute('aria-describedby')) ?? '';
  const message = page.locator(`[id="${describedBy.split(' ').find((id) => id.includes('error')) ?? describedBy}"]`);
  await expect(message).toContainText('even number');

  // The same refusal from the main process when a caller skips the page's checks.
  const answer = await page.evaluate(async () => {
    const settings = await fetch('rpc/cameraSettings', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CamPanel': '1' },
      body: '{}',
    }).then((r) => r.json() as Promise<{ value: { cameras: { width: number }[] } }>);
    const bad = structuredClone(settings.value);
    bad.cameras[0]!.width = 641;
    const response = await fetch('rpc/applyCameraSettings', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CamPanel': '1' },
      body: JSON.stringify(bad),
    });
    return { status: response.status, body: (await response.json()) as { ok: boolean; error?: { code: string; message: string } } };
  });
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.body.ok).toBe(false);
  expect(answer.body.error?.message).toMatch(/even number/);
});

test('the stream URL the tab shows, in its ?token= form, is copied and plays in another browser tab', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: camera.serve.origin });
  await openTab(page, 'Camera');
  const tokenSelect = page.getByLabel('Stream token');
  const e2eToken = await tokenSelect.locator('option', { hasText: /^e2e · alice/ }).getAttribute('value');
  await tokenSelect.selectOption(e2eToken ?? '');
  await page.getByLabel('Token value').fill(camera.token);
  const shown = (await page.locator('#stream-url-video_feed').textContent()) ?? '';
  expect(shown).toBe(`${camera.base}/video_feed?token=${camera.token}`);
  await page.locator('.stream-urls__row', { has: page.locator('#stream-url-video_feed') }).getByRole('button', { name: 'Copy' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shown);

  // Another tab opens it as a user would: the MJPEG stream starts.
  const tab = await context.newPage();
  const response = await tab.goto(shown, { waitUntil: 'commit' });
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-type']).toMatch(/^multipart\/x-mixed-replace; boundary=/);
  await tab.close();
  // And the snapshot URL next to it is a real JPEG.
  const snapshot = await page.request.get((await page.locator('#stream-url-photo_feed').textContent()) ?? '');
  expect(snapshot.status()).toBe(200);
  expect(snapshot.headers()['content-type']).toBe('image/jpeg');
  expect((await snapshot.body()).subarray(0, 2).toString('hex')).toBe('ffd8');
});
