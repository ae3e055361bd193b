#!/usr/bin/env node
/**
 * `npm run bench` (captures, panel side): the Captures screen in Chromium against a real `campanel serve` whose
 * photo directory holds 2,000 files (1,700 photos, 300 videos), beside the same screen with 20 files (the
 * baseline of the same run). Measured from the click on "Captures": the grid's first page rendered
 * (`data-ready`), and every thumbnail in view loaded, cold (no thumbnail made yet) and warm (cached); and the
 * listing call's latency as the page sees it (HTTP + JSON, 20 calls).
 * Needs `npm run build` (out/), ffmpeg and Debian's Chromium. Exit code 0 = every target passed.
 */
/* global document, window, performance, fetch -- the functions passed to page.evaluate run in the page */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CampanelRun } from './bench-support/campanel-run.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CAMPANEL_CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = 'bench-password-1';
const SIZES = [20, 2000];
const VIDEO_SHARE = 0.15;
const LIST_CALLS = 20;

const TARGET = {
  /** The grid with 2,000 files may take at most this much longer than with 20 to show its first page. */
  readyRatio: 2,
  readyMs: 1000,
  thumbsColdMs: 3000,
  thumbsWarmMs: 500,
  listP95Ms: 100,
};

const CAMERA = {
  cameras: [{ backend: 'testsrc', device: 'testsrc2', width: 320, height: 240, fps: 5, jpegQuality: 80 }],
  activeCamera: 0,
  photoType: 'jpg',
  rawType: 'tiff',
  videoType: 'mp4',
  photoDir: '',
  idleTimeoutSeconds: 10,
  requireAuthForStreaming: true,
};

async function makeSamples() {
  const dir = await mkdtemp(join(tmpdir(), 'campanel-bench-samples-'));
  const photo = join(dir, 'photo.jpg');
  const video = join(dir, 'video.mp4');
  const ffmpeg = (args) => execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args], { stdio: 'pipe' });
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=1280x720', '-frames:v', '1', '-q:v', '4', photo]);
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=640x480:rate=15', '-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', video]);
  return { dir, photo, video };
}

/** `count` captures over two cameras, one per second back from now, named as the pipeline names them. */
async function fillPhotos(dataDir, count, samples) {
  const now = Date.now();
  for (let i = 0; i < count; i += 1) {
    const camera = i % 4 === 3 ? 1 : 0;
    const dir = join(dataDir, 'photos', `camera_${camera}`);
    await mkdir(dir, { recursive: true });
    const when = new Date(now - i * 1000);
    const stem = when.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
    const video = i % Math.round(1 / VIDEO_SHARE) === 0;
    const file = join(dir, `${stem}.${video ? 'mp4' : 'jpg'}`);
    await copyFile(video ? samples.video : samples.photo, file);
    await utimes(file, when, when);
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p95 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))];

async function measure(browser, count, samples) {
  const run = new CampanelRun(ROOT);
  try {
    await run.prepare(CAMERA);
    await fillPhotos(run.dataDir, count, samples);
    run.spawnServe();
    const deadline = Date.now() + 20_000;
    let panelUrl = null;
    while (!panelUrl && Date.now() < deadline) {
      panelUrl = run.logTail.find((line) => line.startsWith('Panel: '))?.slice('Panel: '.length) ?? null;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!panelUrl) throw new Error(`serve printed no panel URL:\n${run.logTail.join('\n')}`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(panelUrl);
    await page.getByLabel('Name').fill('admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.waitFor();

    const thumbsInView = () =>
      page.waitForFunction(() => {
        const tiles = [...document.querySelectorAll('[data-testid="capture-tile"] img')];
        const inView = tiles.filter((img) => img.getBoundingClientRect().top < window.innerHeight);
        return inView.length > 0 && inView.every((img) => img.complete);
      }, null, { timeout: 60_000, polling: 'raf' });

    const open = async () => {
      const started = Date.now();
      await nav.getByRole('button', { name: 'Captures', exact: true }).click();
      await page.locator('[data-testid="captures-grid"][data-ready="true"]').waitFor({ timeout: 30_000 });
      const ready = Date.now() - started;
      await thumbsInView();
      return { ready, thumbs: Date.now() - started };
    };
    const cold = await open();
    await nav.getByRole('button', { name: 'Live', exact: true }).click();
    const warm = await open();
    const shownTiles = await page.getByTestId('capture-tile').count();

    const list = await page.evaluate(async (calls) => {
      const times = [];
      for (let i = 0; i < calls; i += 1) {
        const started = performance.now();
        const response = await fetch('rpc/listCaptures', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CamPanel': '1' },
          body: JSON.stringify({ limit: 60 }),
        });
        await response.json();
        times.push(performance.now() - started);
      }
      return times;
    }, LIST_CALLS);
    await page.close();
    return { count, cold, warm, shownTiles, listMedian: median(list), listP95: p95(list) };
  } finally {
    await run.stopServe();
    const left = run.leftovers();
    if (left.length > 0) {
      run.killLeftovers(left);
      console.error(`left running after serve stopped: ${JSON.stringify(left)}`);
      process.exitCode = 1;
    }
    await run.removeDataDir();
  }
}

const samples = await makeSamples();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
const results = [];
try {
  for (const count of SIZES) results.push(await measure(browser, count, samples));
} finally {
  await browser.close();
  await rm(samples.dir, { recursive: true, force: true });
}

const [small, large] = results;
const ms = (n) => `${Math.round(n)} ms`;
console.log('\nCaptures screen in Chromium (from the click on "Captures")');
console.log('| files | first page shown | thumbnails in view, cold | …warm | tiles rendered | listCaptures median / p95 |');
console.log('|---|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.count} | ${ms(r.cold.ready)} (warm ${ms(r.warm.ready)}) | ${ms(r.cold.thumbs)} | ${ms(r.warm.thumbs)} | ${r.shownTiles} | ${r.listMedian.toFixed(1)} / ${r.listP95.toFixed(1)} ms |`);
}
const ratio = large.warm.ready / Math.max(1, small.warm.ready);
const checks = [
  [`first page with ${large.count} files ≤ ${TARGET.readyRatio}× the ${small.count}-file baseline (warm)`, ratio <= TARGET.readyRatio, `${ratio.toFixed(2)}×`],
  [`first page with ${large.count} files ≤ ${TARGET.readyMs} ms (cold)`, large.cold.ready <= TARGET.readyMs, ms(large.cold.ready)],
  [`thumbnails in view, cold ≤ ${TARGET.thumbsColdMs} ms`, large.cold.thumbs <= TARGET.thumbsColdMs, ms(large.cold.thumbs)],
  [`thumbnails in view, warm ≤ ${TARGET.thumbsWarmMs} ms`, large.warm.thumbs <= TARGET.thumbsWarmMs, ms(large.warm.thumbs)],
  [`listCaptures p95 with ${large.count} files ≤ ${TARGET.listP95Ms} ms`, large.listP95 <= TARGET.listP95Ms, `${large.listP95.toFixed(1)} ms`],
];
console.log('');
for (const [what, passed, value] of checks) console.log(`${passed ? 'pass' : 'FAIL'}  ${what}: ${value}`);
if (checks.some(([, passed]) => !passed)) process.exitCode = 1;
