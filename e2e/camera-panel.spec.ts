/**
 * The panel as a camera panel, in Chromium against a real `campanel serve` with two ffmpeg test cameras:
 * the Live screen's previews move at the source's rate and stay close behind it, captures and recordings
 * land on disk and in Captures, a `user` may capture but not configure, and the connection indicator
 * follows the server going away and coming back.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ALICE, startCameraServe, type CameraServe } from './support/camera-serve.js';
import { logIn, openScreen } from './support/fixtures.js';
import { startServe } from './support/serve.js';

const run = promisify(execFile);

async function openPanelAs(page: Page, camera: CameraServe, name = ALICE.name, password: string = ALICE.password): Promise<void> {
  await page.goto(camera.serve.panelUrl);
  await logIn(page, name, password);
  // Live is the first screen after login.
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Live' })).toHaveAttribute('aria-current', 'page');
}

const numberAttr = async (locator: Locator, name: string): Promise<number> => Number(await locator.getAttribute(name));

/** Frames drawn per second, counted by the page itself over `seconds`. */
async function measuredFps(preview: Locator, seconds: number): Promise<number> {
  const before = await numberAttr(preview, 'data-frames');
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = await numberAttr(preview, 'data-frames');
  return (after - before) / ((Date.now() - started) / 1000);
}

/** ffmpeg decodes every frame without an error (a playable video); returns its duration from ffprobe. */
async function playableSeconds(path: string): Promise<number> {
  const decoded = await run('ffmpeg', ['-v', 'error', '-nostdin', '-i', path, '-f', 'null', '-'], { timeout: 30_000 });
  expect(decoded.stderr).toBe('');
  const probed = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path]);
  return Number(probed.stdout.trim());
}

test.describe('Live screen', () => {
  let camera: CameraServe;
  test.beforeEach(async () => {
    // 30 fps sources, so that "at least 15 fps in the page" is a real bound and not the source's own rate.
    camera = await startCameraServe({ fps: 30, idleSeconds: 5 });
  });
  test.afterEach(async () => camera.close());

  test('both previews move at ≥ 15 fps and under 300 ms behind the source', async ({ page }) => {
    await openPanelAs(page, camera);
    const main = page.getByTestId('live-preview-0');
    const second = page.getByTestId('live-preview-1');
    await expect(main).toBeVisible();
    await expect(second).toBeVisible();
    await expect.poll(() => numberAttr(main, 'data-frames'), { timeout: 20_000 }).toBeGreaterThan(20);
    await expect.poll(() => numberAttr(second, 'data-frames'), { timeout: 20_000 }).toBeGreaterThan(20);
    expect(await numberAttr(main, 'data-width')).toBe(320);
    expect(await numberAttr(main, 'data-height')).toBe(240);

    const fps = await measuredFps(main, 3);
    expect(fps).toBeGreaterThanOrEqual(15);
    const latencies: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      latencies.push(await numberAttr(main, 'data-latency-ms'));
      await page.waitForTimeout(200);
    }
    latencies.sort((a, b) => a - b);
    expect(latencies[5], `latencies ${latencies.join(', ')}`).toBeLessThan(300);

    // Moving frames: two pictures of the preview a moment apart differ.
    const first = await main.screenshot();
    await page.waitForTimeout(600);
    const later = await main.screenshot();
    expect(first.equals(later)).toBe(false);

    await expect(page.getByTestId('pipeline-state')).toContainText(/running/i);
  });

  test('Take photo creates the file its thumbnail shows; Record/Stop makes a playable MP4 that Captures lists and plays; Delete removes it', async ({ page }) => {
    await openPanelAs(page, camera);
    await expect.poll(() => numberAttr(page.getByTestId('live-preview-0'), 'data-frames'), { timeout: 20_000 }).toBeGreaterThan(5);

    await page.getByRole('button', { name: 'Take photo', exact: true }).click();
    const result = page.getByTestId('capture-result');
    await expect(result).toContainText(/\d{8}_\d{6}(_\d+)?\.jpg/);
    const photoName = /(\d{8}_\d{6}(?:_\d+)?\.jpg)/.exec((await result.textContent()) ?? '')?.[1] ?? '';
    expect(existsSync(join(camera.dataDir, 'photos', 'camera_0', photoName))).toBe(true);
    const thumb = result.getByRole('img');
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Stop', exact: true })).toBeVisible();
    await expect(page.getByTestId('recording-elapsed')).toHaveText(/0:0[2-9]/, { timeout: 10_000 });
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect(result).toContainText(/\.mp4/, { timeout: 15_000 });
    const videoName = /(\d{8}_\d{6}(?:_\d+)?\.mp4)/.exec((await result.textContent()) ?? '')?.[1] ?? '';
    const videoPath = join(camera.dataDir, 'photos', 'camera_0', videoName);
    expect(await playableSeconds(videoPath)).toBeGreaterThan(1.5);

    await openScreen(page, 'Captures');
    const grid = page.getByTestId('captures-grid');
    await expect(grid).toHaveAttribute('data-ready', 'true');
    const videoTile = grid.locator(`[data-testid="capture-tile"][data-id="camera_0/${videoName}"]`);
    await expect(videoTile).toBeVisible();
    await expect(videoTile).toContainText(/0:0[2-9]/); // its duration
    await expect(grid.locator(`[data-testid="capture-tile"][data-id="camera_0/${photoName}"]`)).toBeVisible();
    // Newest first: the video before the photo.
    const ids = await grid.getByTestId('capture-tile').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-id')));
    expect(ids.indexOf(`camera_0/${videoName}`)).toBeLessThan(ids.indexOf(`camera_0/${photoName}`));

    // Open it: the video plays in the panel.
    await videoTile.click();
    const viewer = page.getByRole('dialog');
    const video = viewer.locator('video');
    await expect(video).toBeVisible();
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await video.evaluate((v: HTMLVideoElement) => v.duration)).toBeGreaterThan(1.5);
    await expect(viewer.getByRole('link', { name: 'Download' })).toHaveAttribute('href', /download=1/);

    // Delete, through the panel's own confirmation (Escape first: nothing happens).
    await viewer.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: /Delete/ });
    await expect(confirm).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(confirm).toBeHidden();
    expect(existsSync(videoPath)).toBe(true);
    await viewer.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: /Delete/ }).getByRole('button', { name: 'Delete' }).click();
    await expect(videoTile).toHaveCount(0);
    expect(existsSync(videoPath)).toBe(false);
  });

  test('Switch camera makes the second camera the main preview', async ({ page }) => {
    await openPanelAs(page, camera);
    await expect(page.getByTestId('active-camera')).toContainText('Camera 0');
    await page.getByRole('button', { name: 'Switch camera' }).click();
    await expect(page.getByTestId('active-camera')).toContainText('Camera 1');
    await expect.poll(() => numberAttr(page.getByTestId('live-preview-1'), 'data-frames'), { timeout: 20_000 }).toBeGreaterThan(5);
  });
});

test('a user may watch and capture, and sees no Settings tab but Account', async ({ page }) => {
  const camera = await startCameraServe();
  try {
    await page.goto(camera.serve.panelUrl);
    await logIn(page, 'bob', 'bob-initial-pw-1');
    // bob still has his initial password: he sets his own first.
    await page.getByLabel('Current password').fill('bob-initial-pw-1');
    await page.getByLabel('New password', { exact: true }).fill('bob-own-password-1');
    await page.getByLabel('Repeat new password').fill('bob-own-password-1');
    await page.getByRole('button', { name: /Change password|Set password/ }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

    await expect.poll(() => numberAttr(page.getByTestId('live-preview-0'), 'data-frames'), { timeout: 20_000 }).toBeGreaterThan(5);
    await page.getByRole('button', { name: 'Take photo', exact: true }).click();
    await expect(page.getByTestId('capture-result')).toContainText(/\.jpg/);
    await expect(page.getByRole('button', { name: 'Restart pipeline' })).toHaveCount(0);

    await openScreen(page, 'Settings');
    await expect(page.getByRole('tab')).toHaveText(['Account']);

    await openScreen(page, 'Captures');
    await page.getByTestId('capture-tile').first().click();
    await expect(page.getByRole('dialog').getByRole('link', { name: 'Download' })).toBeVisible();
    await expect(page.getByRole('dialog').getByRole('button', { name: 'Delete' })).toHaveCount(0);
  } finally {
    await camera.close();
  }
});

test.describe('connection indicator', () => {
  test('appears within 3 s when serve stops answering, and clears when it answers again', async ({ page }) => {
    const camera = await startCameraServe();
    try {
      await openPanelAs(page, camera);
      const lost = page.getByTestId('connection-lost');
      await expect(lost).toHaveCount(0);
      process.kill(camera.serve.pid, 'SIGSTOP');
      try {
        await expect(lost).toBeVisible({ timeout: 3_000 });
      } finally {
        process.kill(camera.serve.pid, 'SIGCONT');
      }
      await expect(lost).toHaveCount(0, { timeout: 10_000 });
      await expect(page.getByTestId('pipeline-state')).toBeVisible();
    } finally {
      await camera.close();
    }
  });

  test('says so when serve is stopped, and the page recovers by itself when serve is back on its port', async ({ page }) => {
    const camera = await startCameraServe();
    let again: Awaited<ReturnType<typeof startServe>> | null = null;
    try {
      await openPanelAs(page, camera);
      const port = new URL(camera.serve.origin).port;
      await camera.serve.stop();
      const lost = page.getByTestId('connection-lost');
      await expect(lost).toBeVisible({ timeout: 3_000 });

      again = await startServe(camera.dataDir, ['--panel-port', port]);
      await expect(lost).toHaveCount(0, { timeout: 15_000 });
      // Still logged in (the panel session outlived the restart), and the camera is back.
      await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
      await expect.poll(() => numberAttr(page.getByTestId('live-preview-0'), 'data-frames'), { timeout: 20_000 }).toBeGreaterThan(5);
    } finally {
      await again?.stop();
      await camera.close();
    }
  });
});
