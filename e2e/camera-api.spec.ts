/**
 * Black-box tests of raspiCamSrv's camera endpoints, streams and snapshots against a real `campanel serve`
 * with two test cameras (docs/compatibility.md §4–§6), configured only through the CLI.
 */
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ALICE, run, startCameraServe, type CameraServe } from './support/camera-serve.js';
import { http, type RawResponse } from './support/http.js';
import { openStream } from './support/mjpeg.js';
import { cli } from './support/serve.js';

let cam: CameraServe;

test.describe.configure({ mode: 'serial' });
test.setTimeout(90_000);

test.beforeAll(async () => {
  cam = await startCameraServe();
});

test.afterAll(async () => {
  await cam?.close();
});

const get = (path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> => {
  const headers = { ...cam.bearer, ...options.headers };
  if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
  return http(`${cam.base}${path}`, { headers, body: options.body });
};
const withJson = (body: unknown) => ({ headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const message = (response: RawResponse): unknown => (JSON.parse(response.body) as { message: unknown }).message;
const pathIn = (text: unknown, prefix: string): string => {
  expect(typeof text).toBe('string');
  return (text as string).slice(prefix.length);
};
const probe = (file: string): { duration: number; width: number; height: number } => {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=width,height', '-of', 'json', file], { encoding: 'utf8' });
  const parsed = JSON.parse(out) as { format: { duration: string }; streams: { width: number; height: number }[] };
  return { duration: Number(parsed.format.duration), width: parsed.streams[0]?.width ?? 0, height: parsed.streams[0]?.height ?? 0 };
};
const isJpeg = (bytes: Buffer) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes.at(-2) === 0xff && bytes.at(-1) === 0xd9;
const photoName = (camera: number, ext: string) => new RegExp(`/photos/camera_${camera}/\\d{8}_\\d{6}(_\\d+)?\\.${ext}$`);

test('take_photo, take_photo2 and take_photo_both write complete JPEGs under new names, with absolute paths', async () => {
  const one = await get('/api/take_photo');
  expect(one.status).toBe(200);
  expect(one.headers['content-type']).toBe('application/json');
  const first = pathIn(message(one), 'Photo taken: ');
  expect(first.startsWith(cam.dataDir)).toBe(true);
  expect(first).toMatch(photoName(0, 'jpg'));
  expect(isJpeg(await readFile(first))).toBe(true);

  const two = await get('/api/take_photo2');
  expect(two.status).toBe(200);
  expect(pathIn(message(two), 'Photo taken: ')).toMatch(photoName(1, 'jpg'));

  const both = await get('/api/take_photo_both');
  expect(both.status).toBe(200);
  const pair = message(both) as { Photo1: string; Photo2: string };
  expect(pair.Photo1).toMatch(photoName(0, 'jpg'));
  expect(pair.Photo2).toMatch(photoName(1, 'jpg'));
  // The same time stamp in each camera's folder, as raspiCamSrv does (a suffix only where that name was taken).
  const stem = (path: string) => /(\d{8}_\d{6})(_\d+)?\.jpg$/.exec(path)?.[1];
  expect(stem(pair.Photo1)).toBe(stem(pair.Photo2));

  // Many captures in the same second: every one gets its own file, none is overwritten.
  const burst = await Promise.all([1, 2, 3, 4].map(() => get('/api/take_photo')));
  const paths = burst.map((response) => pathIn(message(response), 'Photo taken: '));
  expect(new Set([first, ...paths]).size).toBe(5);
  for (const path of paths) expect(isJpeg(await readFile(path))).toBe(true);
});

test('raw photos are lossless TIFF where the camera has no sensor data', async () => {
  const raw = await get('/api/take_raw_photo');
  expect(raw.status).toBe(200);
  const path = pathIn(message(raw), 'Raw photo taken: ');
  expect(path).toMatch(photoName(0, 'tiff'));
  expect((await readFile(path)).subarray(0, 4).toString('latin1')).toMatch(/^(II\*\0|MM\0\*)$/);
  expect(pathIn(message(await get('/api/take_raw_photo2')), 'Raw photo taken: ')).toMatch(photoName(1, 'tiff'));
  const both = message(await get('/api/take_raw_photo_both')) as { Photo1: string; Photo2: string };
  expect(both.Photo1).toMatch(photoName(0, 'tiff'));
  expect(both.Photo2).toMatch(photoName(1, 'tiff'));
});

test('record_video with a duration stops by itself with a playable MP4 of that length; stop_video then has nothing to stop', async () => {
  const started = Date.now();
  const recorded = await get('/api/record_video', withJson({ duration: 2 }));
  expect(recorded.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(3000);
  const path = pathIn(message(recorded), 'Video recorded to ');
  expect(path).toMatch(photoName(0, 'mp4'));
  await expect.poll(async () => (await get('/api/info')).body.includes('"video_recording":false'), { timeout: 8000 }).toBe(true);
  const video = probe(path);
  expect(Math.abs(video.duration - 2)).toBeLessThanOrEqual(0.2);
  expect([video.width, video.height]).toEqual([320, 240]);
  const nothing = await get('/api/stop_video');
  expect([nothing.status, nothing.body]).toEqual([500, '{"message":"No video recording in progress"}\n']);
});

test('record_video without a body records until stop_video, which answers once the file is closed', async () => {
  const recorded = await get('/api/record_video');
  expect(recorded.status).toBe(200);
  const path = pathIn(message(recorded), 'Video recorded to ');
  const again = await get('/api/record_video');
  expect(again.status).toBe(500);
  expect(message(again)).toBe(`Camera 0 is already recording to ${path}`);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const stopped = await get('/api/stop_video');
  expect(stopped.status).toBe(200);
  expect(message(stopped)).toEqual({ Status: 'Stopped', Video: path });
  expect(probe(path).duration).toBeGreaterThan(1);
});

test('the second camera and both cameras record and stop', async () => {
  const second = pathIn(message(await get('/api/record_video2', withJson({ duration: 0 }))), 'Video recorded to ');
  expect(second).toMatch(photoName(1, 'mp4'));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(message(await get('/api/stop_video2'))).toEqual({ Status: 'Stopped', Video: second });

  const both = await get('/api/record_video_both');
  expect(both.status).toBe(200);
  const videos = message(both) as { 'Video 1': string; 'Video 2': string };
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const stopped = await get('/api/stop_video_both');
  expect(stopped.status).toBe(200);
  expect(message(stopped)).toEqual({
    'Video 1': { Status: 'Stopped', Video: videos['Video 1'] },
    'Video 2': { Status: 'Stopped', Video: videos['Video 2'] },
  });
  for (const path of Object.values(videos)) expect(probe(path).width).toBe(320);
  const none = await get('/api/stop_video_both');
  expect(none.status).toBe(500);
  expect(message(none)).toEqual({
    'Video 1': 'No video recording in progress for camera 1',
    'Video 2': 'No video recording in progress for camera 2',
  });
});

test('bad record_video bodies are refused with a JSON 4xx naming the problem, and nothing starts', async () => {
  const cases: [unknown, string][] = [
    [{ duration: -1 }, 'duration must not be negative'],
    [{ duration: 'soon' }, 'duration must be a number of seconds'],
    [{ duration: 1e9 }, 'duration must be at most 86400 seconds'],
  ];
  for (const [body, text] of cases) {
    const response = await get('/api/record_video', withJson(body));
    expect([response.status, message(response)]).toEqual([400, text]);
  }
  const notJson = await get('/api/record_video', { headers: { 'Content-Type': 'text/plain' }, body: 'duration=5' });
  expect(notJson.status).toBe(415);
  const broken = await get('/api/record_video', { headers: { 'Content-Type': 'application/json' }, body: '{"duration":' });
  expect(broken.status).toBe(400);
  expect(JSON.parse(broken.body)).toHaveProperty('error');
  expect((await get('/api/info')).body).toContain('"video_recording":false');
});

test('switch_cameras swaps the active and the second camera', async () => {
  const before = message(await get('/api/info')) as { active_camera: string };
  expect(before.active_camera).toBe('Camera 0 (testsrc)');
  expect(message(await get('/api/switch_cameras'))).toBe('Camera switch successful');
  expect((message(await get('/api/info')) as { active_camera: string }).active_camera).toBe('Camera 1 (smptebars)');
  expect(pathIn(message(await get('/api/take_photo')), 'Photo taken: ')).toMatch(photoName(1, 'jpg'));
  expect(message(await get('/api/switch_cameras'))).toBe('Camera switch successful');
});

test('info has raspiCamSrv\'s fields plus fps and clients per camera; probe answers only its allowlist', async () => {
  const stream = await openStream(`${cam.base}/video_feed?token=${cam.token}`);
  await stream.waitFor(2);
  const info = message(await get('/api/info')) as Record<string, unknown> & {
    cameras: { num: number; active: boolean; is_usb: boolean; model: string; status: string }[];
    operation_status: Record<string, unknown>;
    pipeline: { state: string; cameras: { num: number; fps: number; clients: number; resolution: string }[] };
  };
  expect(Object.keys(info).sort()).toEqual(['active_camera', 'cameras', 'operation_status', 'pipeline', 'server', 'version']);
  expect(info.version).toMatch(/^raspiCamSrv V\d+\.\d+\.\d+ \(CamPanel /);
  expect(info.server).toBe(new URL(cam.base).host);
  expect(info.cameras.map((camera) => [camera.num, camera.active, camera.is_usb])).toEqual([[0, true, false], [1, false, false]]);
  expect(Object.keys(info.operation_status).sort()).toEqual(
    ['audio_recording', 'event_handling', 'livestream2_active', 'livestream_active', 'motion_capturing', 'photoseries_recording', 'video_recording', 'video_recording2'],
  );
  expect(info.operation_status.livestream_active).toBe(true);
  const camera0 = info.pipeline.cameras[0];
  expect(camera0?.clients).toBe(1);
  expect(camera0?.resolution).toBe('320x240');
  expect(camera0?.fps).toBeGreaterThan(10);
  stream.close();

  const probed = await get('/api/probe', withJson({ properties: [{ property: 'CameraCfg().serverConfig.isVideoRecording' }, { property: '__import__("os").system("id")' }, {}] }));
  expect(probed.status).toBe(200);
  expect(JSON.parse(probed.body)).toEqual({
    results: [
      { 'CameraCfg().serverConfig.isVideoRecording': false },
      { property: 'ERROR:not a status property CamPanel answers (see docs/compatibility.md §4)' },
      { property: 'ERROR:each entry needs a "property" string' },
    ],
  });
  expect(await get('/api/probe', withJson({}))).toMatchObject({ status: 400, body: '{"error":"No properties provided"}\n' });
  expect(await get('/api/probe', withJson({ properties: [] }))).toMatchObject({ status: 400, body: '{"error":"properties must not be empty"}\n' });
});

test('triggered capture answers raspiCamSrv\'s "no trigger" error as JSON, and every endpoint needs the token', async () => {
  for (const path of ['/api/start_triggered_capture', '/api/stop_triggered_capture']) {
    const response = await get(path);
    expect([response.status, response.body]).toEqual([500, '{"message":"There is no trigger activated"}\n']);
  }
  const anonymous = await http(`${cam.base}/api/take_photo`);
  expect([anonymous.status, anonymous.body]).toEqual([401, '{"msg":"Missing Authorization Header"}\n']);
});

test('streams: multipart with Content-Length and X-Timestamp per part, for every URL and every auth form', async () => {
  const basic = `Basic ${Buffer.from(`${ALICE.name}:${ALICE.password}`).toString('base64')}`;
  const urls: [string, Record<string, string>][] = [
    [`/video_feed?token=${cam.token}`, {}],
    ['/video_feed2', { Authorization: `Bearer ${cam.token}` }],
    ['/api/stream?camera=1', { Authorization: basic }],
    [`/?action=stream&token=${cam.token}`, {}],
  ];
  for (const [url, headers] of urls) {
    const stream = await openStream(`${cam.base}${url}`, headers);
    expect(stream.status, url).toBe(200);
    expect(stream.headers['content-type']).toBe('multipart/x-mixed-replace; boundary=frame');
    const parts = await stream.waitFor(3);
    for (const part of parts.slice(0, 3)) {
      expect(part.headers['content-type']).toBe('image/jpeg');
      expect(Number(part.headers['content-length'])).toBe(part.jpeg.length);
      expect(isJpeg(part.jpeg)).toBe(true);
      const age = part.receivedAt / 1000 - Number(part.headers['x-timestamp']);
      expect(age).toBeGreaterThan(-0.05);
      expect(age).toBeLessThan(1);
    }
    stream.close();
  }
});

test('refused streams and snapshots are a 401 with WWW-Authenticate and a JSON body, never a redirect', async () => {
  const wrongBasic = `Basic ${Buffer.from(`${ALICE.name}:wrong-password`).toString('base64')}`;
  const bobBasic = `Basic ${Buffer.from('bob:bob-initial-pw-1').toString('base64')}`;
  const refusals: [string, Record<string, string>][] = [
    ['/video_feed', {}],
    ['/photo_feed', {}],
    ['/video_feed?token=not.a.token', {}],
    ['/api/snapshot', { Authorization: wrongBasic }],
    ['/api/stream', { Authorization: bobBasic }],
    ['/video_feed', { Authorization: 'Bearer abc' }],
  ];
  for (const [url, headers] of refusals) {
    const response = await http(`${cam.base}${url}`, { headers });
    expect(response.status, url).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="CamPanel", charset="UTF-8"');
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body)).toHaveProperty('error');
    expect(response.headers.location).toBeUndefined();
  }
});

test('snapshots are one complete JPEG with X-Timestamp; unknown cameras are a JSON 4xx', async () => {
  for (const url of ['/photo_feed', '/photo_feed2', '/api/snapshot?camera=1', '/?action=snapshot']) {
    const response = await new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      void import('node:http').then(({ request }) => {
        const req = request(`${cam.base}${url}`, { headers: cam.bearer }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
      });
    });
    expect(response.status, url).toBe(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
    expect(isJpeg(response.body)).toBe(true);
    expect(Number(response.headers['x-timestamp'])).toBeGreaterThan(Date.now() / 1000 - 2);
  }
  expect(await get('/api/snapshot?camera=5')).toMatchObject({ status: 404, body: '{"error":"Camera 5 is not configured"}\n' });
  expect((await get('/api/snapshot?camera=x')).status).toBe(400);
});

test('Chromium shows the stream in an <img>, and it moves', async ({ page }) => {
  await page.setContent(`<img id="live" src="${cam.base}/video_feed?token=${cam.token}">`);
  await expect.poll(() => page.evaluate(() => (document.getElementById('live') as HTMLImageElement).naturalWidth)).toBe(320);
  const first = await page.locator('#live').screenshot();
  await page.waitForTimeout(1500);
  const second = await page.locator('#live').screenshot();
  expect(first.equals(second)).toBe(false);
});

test('ffmpeg (what ffplay is built on) reads the stream and the snapshot URL', async () => {
  const frames = execFileSync(
    'ffprobe',
    ['-v', 'error', '-count_frames', '-read_intervals', '%+#5', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'csv=p=0', `${cam.base}/video_feed?token=${cam.token}`],
    { encoding: 'utf8', timeout: 20_000 },
  );
  expect(frames.trim()).toMatch(/^mjpeg,320,240,[5-9]\d*$/);
  const still = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', `${cam.base}/photo_feed?token=${cam.token}`], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(still.trim()).toBe('mjpeg,320,240');
});

test('camera status through the running instance names states, fps and clients', async () => {
  const status = await run(['camera', 'status'], cam.dataDir);
  expect(status).toMatch(/^Pipeline: (running|idle)\n/);
  expect(status).toMatch(/Camera 0: (running, [\d.]+ fps, \d+ clients?|idle) \(testsrc testsrc 320x240\)/);
  expect(status).toMatch(/Camera 1: .*\(testsrc smptebars 320x240\)/);
});

test('a photo directory that cannot be written is a JSON 409 naming it, and nothing is captured', async () => {
  const pics = join(cam.dataDir, 'pics');
  await run(['camera', 'options', '--photo-dir', pics], cam.dataDir);
  expect((await get('/api/take_photo')).status).toBe(200);
  await rm(pics, { recursive: true, force: true });
  await writeFile(pics, 'a file where the photo directory was');
  const refused = await get('/api/take_photo');
  expect(refused.status).toBe(409);
  expect(message(refused)).toBe(`Error in Camera.takeImage: The photo directory ${pics}/camera_0 is not writable (a part of the path is a file, not a directory)`);
  const cliRefusal = await cli(['camera', 'options', '--photo-dir', join(pics, 'sub'), '--data-dir', cam.dataDir]);
  expect(cliRefusal.code).toBe(1);
  expect(cliRefusal.stderr).toMatch(/not writable \(a part of the path is a file/);
  await rm(pics, { force: true });
  await run(['camera', 'options', '--photo-dir', ''], cam.dataDir);
});

test('without a second camera: raspiCamSrv\'s errors, as JSON', async () => {
  await run(['camera', 'remove', '1'], cam.dataDir);
  try {
    for (const path of ['/api/take_photo2', '/api/take_raw_photo2', '/api/record_video2', '/api/stop_video2', '/api/take_photo_both', '/api/record_video_both', '/api/stop_video_both']) {
      const response = await get(path);
      expect([path, response.status, response.body]).toEqual([path, 500, '{"message":"Second camera is not available"}\n']);
    }
    expect(await get('/api/switch_cameras')).toMatchObject({ status: 500, body: '{"message":"No other camera available"}\n' });
    expect((await http(`${cam.base}/video_feed2?token=${cam.token}`)).status).toBe(404);
  } finally {
    await run(['camera', 'add', '--backend', 'testsrc', '--device', 'smptebars', '--resolution', '320x240', '--fps', '15'], cam.dataDir);
  }
  await expect.poll(async () => (await get('/api/take_photo2')).status, { timeout: 10_000 }).toBe(200);
});
