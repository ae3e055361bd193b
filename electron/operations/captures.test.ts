/**
 * The camera panel's operations through the handler registry, on a real core with the built pipeline worker
 * and two test cameras (ffmpeg): photos, recordings, switching, captures listed and deleted, camera settings
 * applied (only the changed camera restarts), access levels, audit lines and 'captures' events.
 * Needs `npm run build:core` (the worker runs from out/, as in the product).
 */
import { access, stat } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PanelEvent } from '../../shared/contract.js';
import { DEFAULT_CAMERA_SETTINGS, captureEntrySchema, detectedCameraSchema, type CameraSettings, type CaptureEntry, type PipelineState } from '../../shared/domain.js';
import { CamPanelCore } from '../core/campanel-core.js';
import { createHandlers } from '../handlers/index.js';
import { forkLauncher } from '../pipeline/worker-launcher.js';
import { BUILT_WORKER } from '../pipeline/worker/test-worker-harness.js';
import { HandlerRegistry, type CallContext } from '../registry/handler-registry.js';
import { descendantsOf } from '../test-support/process-table.js';
import { CLI_ACTOR } from './actor.js';
import { applyCameraSettings } from './camera.js';
import { addUser, changePassword, createFirstAdmin } from './users.js';

type LogLine = Record<string, unknown>;

let dir: string;
let core: CamPanelCore;
let registry: HandlerRegistry;
const lines: LogLine[] = [];
const events: PanelEvent['topic'][] = [];

const small = { width: 160, height: 120, fps: 10, jpegQuality: 70 };
const SETTINGS: CameraSettings = {
  ...DEFAULT_CAMERA_SETTINGS,
  cameras: [
    { backend: 'testsrc', device: 'testsrc2', ...small },
    { backend: 'testsrc', device: 'smptebars', ...small },
  ],
  idleTimeoutSeconds: 0, // always on: the sources run without a viewer, so their pids can be watched
};

const admin: CallContext = { session: { userName: 'ada' }, transport: 'http', address: '127.0.0.1' };
const user: CallContext = { session: { userName: 'bob' }, transport: 'ipc', address: 'local' };

async function until<T>(probe: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function ok<T>(channel: string, payload: unknown, context: CallContext = admin): Promise<T> {
  const result = await registry.invoke(channel, payload, context);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

async function refused(channel: string, payload: unknown, context: CallContext = admin) {
  const result = await registry.invoke(channel, payload, context);
  if (result.ok) throw new Error(`${channel} was not refused`);
  return result.error;
}

/** The ffmpeg source of the camera showing `pattern`, as the process table has it. */
const sourcePid = (pattern: string): number | undefined =>
  descendantsOf(process.pid).find((p) => p.cmdline.some((arg) => arg.includes('ffmpeg')) && p.cmdline.some((arg) => arg.startsWith(`${pattern}=`)))?.pid;

const audits = (op: string) => lines.filter((line) => line.op === op);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-capture-ops-'));
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n')) if (text !== '') lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  core = await CamPanelCore.open({ dataDir: join(dir, 'data'), logger: pino({ level: 'info' }, sink), workerLauncher: forkLauncher(BUILT_WORKER) });
  core.events.on('event', (event: PanelEvent) => events.push(event.topic));
  registry = new HandlerRegistry(createHandlers(core), (name) => core.users.get(name));
  await createFirstAdmin(core, { name: 'ada', password: 'ada-password-1' }, CLI_ACTOR);
  await addUser(core, { name: 'bob', role: 'user', password: 'bob-password-1' }, CLI_ACTOR);
  // A user added by an admin must choose a password before doing anything else.
  await changePassword(core, { name: 'bob', currentPassword: 'bob-password-1', newPassword: 'bob-password-2' }, CLI_ACTOR);
  core.settings.setCamera(SETTINGS);
  await core.startCamera();
  await until(() => sourcePid('testsrc2') && sourcePid('smptebars') && core.camera.hub.latest(0) && core.camera.hub.latest(1), 15_000);
}, 30_000);

afterAll(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
  expect(sourcePid('testsrc2') ?? sourcePid('smptebars')).toBeUndefined();
});

beforeEach(() => {
  lines.length = 0;
  events.length = 0;
});

describe('takePhoto', () => {
  it('a user takes a photo: the new capture, on disk, listed, audited, announced', async () => {
    const entry = await ok<CaptureEntry>('takePhoto', { camera: 1, kind: 'photo' }, user);
    expect(captureEntrySchema.parse(entry)).toEqual(entry);
    expect(entry).toMatchObject({ camera: 1, kind: 'photo', durationSeconds: null });
    expect(entry.id).toMatch(/^camera_1\/\d{8}_\d{6}(_\d+)?\.jpg$/);
    const file = await core.captures.resolve(entry.id);
    expect((await stat(file.path)).size).toBe(entry.size);
    expect(file.path.startsWith(join(dir, 'data', 'photos', 'camera_1'))).toBe(true);
    expect(audits('capture.photo')).toEqual([expect.objectContaining({ camera: 1, kind: 'photo', id: entry.id, by: 'bob', via: 'desktop' })]);
    expect(events).toContain('captures');
    const list = await ok<{ items: CaptureEntry[] }>('listCaptures', { camera: 1 }, user);
    expect(list.items[0]?.id).toBe(entry.id);
  });

  it('a raw photo is a TIFF (the test source has no sensor data)', async () => {
    const entry = await ok<CaptureEntry>('takePhoto', { camera: 0, kind: 'raw' }, user);
    expect([entry.kind, entry.name.endsWith('.tiff')]).toEqual(['raw', true]);
  });

  it('a camera that is not configured: not_found, in words', async () => {
    expect(await refused('takePhoto', { camera: 3, kind: 'photo' }, user)).toEqual({ code: 'not_found', message: 'Camera 3 is not configured' });
    expect(audits('capture.photo')).toEqual([]);
  });

  it('a photo taken the way /api takes it is announced too', async () => {
    await core.camera.capture(0, 'photo');
    expect(events).toContain('captures');
  });
});

describe('recording', () => {
  it('start (state says recording, since when) → stop (the closed video with its length)', async () => {
    const started = await ok<PipelineState>('startRecording', { camera: 0 }, user);
    expect(started.cameras[0]).toMatchObject({ recording: true });
    expect(Date.now() - Date.parse(started.cameras[0]?.recordingStartedAt ?? '')).toBeLessThan(5000);
    expect(await refused('startRecording', { camera: 0 }, user)).toMatchObject({ code: 'conflict', message: expect.stringContaining('already recording') });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    events.length = 0;
    const video = await ok<CaptureEntry>('stopRecording', { camera: 0 }, user);
    expect(video).toMatchObject({ camera: 0, kind: 'video' });
    expect(video.durationSeconds).toBeGreaterThan(0.8);
    expect(video.durationSeconds).toBeLessThan(10);
    expect(events).toContain('captures');
    expect(audits('capture.record')).toHaveLength(1);
    expect(audits('capture.stop')).toEqual([expect.objectContaining({ camera: 0, id: video.id, by: 'bob' })]);
    expect(core.camera.state().cameras[0]).toMatchObject({ recording: false, recordingStartedAt: null });
    expect(await refused('stopRecording', { camera: 0 }, user)).toEqual({ code: 'conflict', message: 'No video recording in progress' });
  }, 20_000);

  it('a recording started through /api that ends by its duration is announced when its file is complete', async () => {
    const path = await core.camera.startRecording(1, 1);
    events.length = 0;
    await until(() => events.includes('captures'), 10_000);
    await access(path);
    expect((await core.captures.entry(core.captures.idOf(1, path))).kind).toBe('video');
  }, 15_000);
});

describe('switchCamera', () => {
  it('the second camera becomes the active one, and back', async () => {
    expect((await ok<PipelineState>('switchCamera', {}, user)).activeCamera).toBe(1);
    expect((await ok<PipelineState>('switchCamera', {}, user)).activeCamera).toBe(0);
    expect(audits('camera.switch').map((line) => line.activeCamera)).toEqual([1, 0]);
  });
});

describe('captures', () => {
  it('an admin deletes a capture; a user may not', async () => {
    const entry = await ok<CaptureEntry>('takePhoto', { camera: 0, kind: 'photo' });
    expect(await refused('deleteCapture', { id: entry.id }, user)).toMatchObject({ code: 'forbidden' });
    events.length = 0;
    expect(await ok('deleteCapture', { id: entry.id })).toEqual({ id: entry.id });
    expect(events).toEqual(['captures']);
    expect(audits('capture.delete')).toEqual([expect.objectContaining({ id: entry.id, by: 'ada' })]);
    expect(await refused('deleteCapture', { id: entry.id })).toMatchObject({ code: 'not_found' });
    expect(await refused('deleteCapture', { id: 'camera_0/../../etc/passwd' })).toMatchObject({ code: 'bad_request' });
  });
});

describe('camera settings', () => {
  it('users see no camera settings', async () => {
    for (const channel of ['cameraSettings', 'detectCameras']) expect(await refused(channel, {}, user)).toMatchObject({ code: 'forbidden' });
    expect(await refused('applyCameraSettings', SETTINGS, user)).toMatchObject({ code: 'forbidden' });
  });

  it('admins read the settings and the detected cameras', async () => {
    expect(await ok('cameraSettings', {})).toEqual(SETTINGS);
    const detected = await ok<unknown[]>('detectCameras', {});
    for (const camera of detected) detectedCameraSchema.parse(camera);
  });

  it('changing camera 0 restarts only camera 0: camera 1 keeps its source and its frames', async () => {
    const before = { zero: sourcePid('testsrc2'), one: sourcePid('smptebars'), seq: core.camera.hub.latest(1)?.seq ?? 0 };
    const next = { ...SETTINGS, cameras: [{ ...SETTINGS.cameras[0]!, width: 192 }, SETTINGS.cameras[1]!] };
    const applied = await ok<{ restarted: number[]; changedOptions: string[]; settings: CameraSettings }>('applyCameraSettings', next);
    expect(applied).toEqual({ settings: next, restarted: [0], changedOptions: [] });
    // Camera 1's last frame was not thrown away, and it goes on counting.
    expect(core.camera.hub.latest(1)?.seq).toBeGreaterThanOrEqual(before.seq);
    await until(() => core.camera.state().cameras[0]?.width === 192 && core.camera.hub.latest(0), 10_000);
    const zero = await until(() => sourcePid('testsrc2') !== before.zero && sourcePid('testsrc2'));
    expect(zero).not.toBe(before.zero);
    expect(sourcePid('smptebars')).toBe(before.one);
    const seq = core.camera.hub.latest(1)?.seq ?? 0;
    await until(() => (core.camera.hub.latest(1)?.seq ?? 0) > seq);
    expect(audits('camera.apply')).toEqual([expect.objectContaining({ restarted: [0], changedOptions: [], by: 'ada' })]);
    await ok('applyCameraSettings', SETTINGS);
  }, 20_000);

  it('options only: nothing restarts, the changed options are named', async () => {
    const applied = await ok<{ restarted: number[]; changedOptions: string[] }>('applyCameraSettings', { ...SETTINGS, photoType: 'png', idleTimeoutSeconds: 0, requireAuthForStreaming: false });
    expect([applied.restarted, applied.changedOptions]).toEqual([[], ['photoType', 'requireAuthForStreaming']]);
    await ok('applyCameraSettings', SETTINGS);
  });

  it('a camera that is recording can be neither changed nor removed; the others can', async () => {
    await ok('startRecording', { camera: 1 });
    try {
      const changed = { ...SETTINGS, cameras: [SETTINGS.cameras[0]!, { ...SETTINGS.cameras[1]!, fps: 5 }] };
      expect(await refused('applyCameraSettings', changed)).toMatchObject({ code: 'conflict', fields: { 'cameras.1': expect.stringContaining('recording') } });
      expect(await refused('applyCameraSettings', { ...SETTINGS, cameras: [SETTINGS.cameras[0]!] })).toMatchObject({ code: 'conflict' });
      expect(core.settings.get().camera).toEqual(SETTINGS);
      const applied = await ok<{ restarted: number[] }>('applyCameraSettings', { ...SETTINGS, idleTimeoutSeconds: 5 });
      expect(applied.restarted).toEqual([]);
    } finally {
      await ok('stopRecording', { camera: 1 });
      await ok('applyCameraSettings', SETTINGS);
    }
  }, 20_000);

  it.each<[string, Partial<CameraSettings> | ((s: CameraSettings) => unknown), Record<string, string>]>([
    ['an odd width', (s) => ({ ...s, cameras: [{ ...s.cameras[0], width: 161 }, s.cameras[1]] }), { 'cameras.0.width': 'The width must be an even number of pixels' }],
    ['a frame rate of 0', (s) => ({ ...s, cameras: [s.cameras[0], { ...s.cameras[1], fps: 0 }] }), { 'cameras.1.fps': 'The frame rate is at least 1' }],
    ['a v4l2 device that is no /dev/videoN', (s) => ({ ...s, cameras: [{ ...s.cameras[0], backend: 'v4l2', device: '/etc/passwd' }] }), { 'cameras.0.device': 'A USB camera device is /dev/videoN' }],
    ['an active camera that is not configured', { activeCamera: 3 }, { activeCamera: 'Camera 3 is not configured' }],
    ['an unknown key', (s) => ({ ...s, extra: true }), { extra: 'Unknown field' }],
  ])('the main process refuses %s beside its field, whatever the renderer let through', async (_name, change, fields) => {
    const input = typeof change === 'function' ? change(SETTINGS) : { ...SETTINGS, ...change };
    await expect(applyCameraSettings(core, input, CLI_ACTOR)).rejects.toMatchObject({ code: 'invalid', fields });
    expect(core.settings.get().camera).toEqual(SETTINGS);
  });

  it('a photo directory that cannot be written: refused beside the field, nothing stored', async () => {
    const error = await refused('applyCameraSettings', { ...SETTINGS, photoDir: '/proc/campanel-photos' });
    expect(error).toMatchObject({ code: 'invalid', fields: { photoDir: expect.stringContaining('is not writable') } });
    expect(core.settings.get().camera).toEqual(SETTINGS);
  });

  it('a new photo directory that can be written is used for the next capture', async () => {
    const photos = join(dir, 'elsewhere');
    const applied = await ok<{ changedOptions: string[] }>('applyCameraSettings', { ...SETTINGS, photoDir: photos });
    expect(applied.changedOptions).toEqual(['photoDir']);
    const entry = await ok<CaptureEntry>('takePhoto', { camera: 0, kind: 'photo' });
    expect((await core.captures.resolve(entry.id)).path.startsWith(join(photos, 'camera_0'))).toBe(true);
    await ok('applyCameraSettings', SETTINGS);
  });
});
