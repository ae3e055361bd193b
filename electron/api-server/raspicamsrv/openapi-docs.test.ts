/**
 * The raspiCamSrv docs against the real handlers: a real ApiServer on 127.0.0.1, every route called for its
 * answers (success and each refusal the test can bring about), each answer checked against the document
 * built from raspiCamSrvOperationDocs. The camera behind the routes is scripted (what it returns or throws
 * is the test's choice: real captures need a camera; e2e/camera-api.spec.ts runs those against the same
 * document); streams run through the real fan-out of a frame-fed CameraService.
 */
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openApiChecker } from '../../../e2e/support/openapi.js';
import type { PipelineState } from '../../../shared/domain.js';
import { CameraError } from '../../pipeline/camera-errors.js';
import type { CameraService } from '../../pipeline/camera-service.js';
import type { Frame } from '../../pipeline/frames/frame-hub.js';
import { FAKE_JPEG, PASSWORDS, bearer, frameFedCamera, http, jsonHeaders, loginTokens, makeWorld, serverPool, type HttpResult, type World } from '../../test-support/api-test-kit.js';
import { NetworkLoginLimiter } from '../../users/network-login-limiter.js';
import { buildOpenApiDocument } from '../openapi/build-document.js';
import { raspiCamSrvOperationDocs } from './openapi-docs.js';

const checker = openApiChecker(buildOpenApiDocument(raspiCamSrvOperationDocs, { title: 'raspiCamSrv dialect', version: 'test' }), 'the raspiCamSrv docs');
/** "GET /api/take_photo" for every route an answer was checked for. */
const covered = new Set<string>();

const headerText = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** One request; its status must be `expected` and its answer what the document says. */
async function call(
  baseUrl: string,
  method: string,
  path: string,
  expected: number,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<HttpResult> {
  const result = await http(baseUrl, method, path, options);
  expect(result.status, `${method} ${path}: ${result.body}`).toBe(expected);
  checker.check({ method, path, status: result.status, contentType: headerText(result.headers['content-type']), body: method === 'HEAD' ? undefined : result.body });
  covered.add(`${method === 'HEAD' ? 'GET' : method} ${path.split('?')[0]}`);
  return result;
}

/** A stream: status and headers only, then the connection is dropped. */
function openStream(baseUrl: string, path: string, expected: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, (res) => {
      try {
        expect(res.statusCode, path).toBe(expected);
        checker.check({ method: 'GET', path, status: res.statusCode ?? 0, contentType: headerText(res.headers['content-type']) });
        covered.add(`GET ${path.split('?')[0]}`);
        resolve();
      } catch (error) {
        reject(error);
      } finally {
        req.destroy();
      }
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.end();
  });
}

/** The part of CameraService the routes use; each operation returns a path, or throws `failure` (for camera `failOn`, or all). */
class ScriptedCamera {
  failure: Error | null = null;
  failOn: number | null = null;
  second: number | null = 1;
  cameras = [0, 1];
  readonly recording = new Set<number>();
  constructor(private readonly feed: CameraService) {}

  activeCamera(): number {
    if (this.cameras.length === 0) throw new CameraError('notConfigured', 'No camera is configured');
    return 0;
  }
  secondCamera(): number | null {
    return this.second;
  }
  isConfigured(camera: number): boolean {
    return this.cameras.includes(camera);
  }
  isRecording(camera: number): boolean {
    return this.recording.has(camera);
  }
  async capture(camera: number, kind: 'photo' | 'raw'): Promise<string> {
    this.#act(camera);
    return `/data/photos/camera_${camera}/20261126_101500.${kind === 'photo' ? 'jpg' : 'dng'}`;
  }
  async startRecording(camera: number): Promise<string> {
    this.#act(camera);
    this.recording.add(camera);
    return `/data/photos/camera_${camera}/20261126_101500.mp4`;
  }
  async stopRecording(camera: number): Promise<string> {
    this.#act(camera);
    this.recording.delete(camera);
    return `/data/photos/camera_${camera}/20261126_101500.mp4`;
  }
  async switchCameras(): Promise<void> {}
  async snapshot(camera: number): Promise<Frame> {
    this.#act(camera);
    return { camera, jpeg: FAKE_JPEG, timestamp: 1764151500.25, seq: 1, receivedAt: 0 };
  }
  openStream(camera: number, socket: Socket) {
    return this.feed.openStream(camera, socket);
  }
  state(): PipelineState {
    const camera = (num: number, backend: 'rpicam' | 'v4l2') => ({
      num,
      backend,
      device: backend === 'rpicam' ? '0' : '/dev/video0',
      state: 'running' as const,
      width: 1280,
      height: 720,
      fps: 29.5,
      clients: num,
      recording: this.recording.has(num),
      recordingStartedAt: null,
      error: null,
      stderr: [],
    });
    return { state: 'running', attempt: 0, nextTryAt: null, failedStage: null, error: null, stderr: [], activeCamera: 0, cameras: [camera(0, 'rpicam'), camera(1, 'v4l2')] };
  }
  #act(camera: number): void {
    if (this.failure && (this.failOn === null || this.failOn === camera)) throw this.failure;
  }
}

let world: World;
let feed: CameraService;
const pool = serverPool();
beforeAll(async () => {
  world = await makeWorld();
  feed = frameFedCamera(world.dataDir);
});
afterEach(() => pool.stopAll());
afterAll(async () => {
  await feed.stop();
  await world.cleanUp();
});

async function start(overrides: { limiter?: NetworkLoginLimiter; noCamera?: boolean } = {}) {
  const camera = new ScriptedCamera(feed);
  const { baseUrl, deps } = await pool.start(world, {
    ...(overrides.noCamera ? {} : { camera: camera as unknown as CameraService }),
    streamAuthRequired: () => true,
    ...(overrides.limiter ? { limiter: overrides.limiter } : {}),
  });
  const { access_token: access, refresh_token: refresh = '' } = await loginTokens(baseUrl, 'bob', PASSWORDS.bob);
  return { baseUrl, camera, deps, access, refresh, auth: { headers: bearer(access) } };
}

const body = (value: unknown) => ({ headers: jsonHeaders, body: JSON.stringify(value) });

describe('raspiCamSrv answers match the OpenAPI document', () => {
  it('index and auth: success, bad bodies, bad and missing tokens', async () => {
    const { baseUrl, deps, access, refresh, auth } = await start();
    await call(baseUrl, 'GET', '/api', 200);
    await call(baseUrl, 'GET', '/api/', 200);
    await call(baseUrl, 'HEAD', '/api', 200);

    await call(baseUrl, 'POST', '/api/login', 200, body({ username: 'bob', password: PASSWORDS.bob, extra: 1 }));
    await call(baseUrl, 'POST', '/api/login', 400, body({ username: 1 }));
    await call(baseUrl, 'POST', '/api/login', 400, body({ username: 'x'.repeat(65), password: 'y' }));
    await call(baseUrl, 'POST', '/api/login', 400, { headers: jsonHeaders, body: '{"username":' });
    await call(baseUrl, 'POST', '/api/login', 401, body({ username: 'bob', password: 'not-bobs-password' }));
    await call(baseUrl, 'POST', '/api/login', 401, body({ username: 'alice', password: PASSWORDS.alice }));
    await call(baseUrl, 'POST', '/api/login', 415, { headers: { 'content-type': 'text/plain' }, body: 'username=bob' });

    await call(baseUrl, 'POST', '/api/refresh', 200, { headers: bearer(refresh) });
    await call(baseUrl, 'POST', '/api/refresh', 401);
    await call(baseUrl, 'POST', '/api/refresh', 422, { headers: bearer(access) });

    await call(baseUrl, 'GET', '/api/protected', 200, auth);
    await call(baseUrl, 'GET', '/api/protected', 401);
    await call(baseUrl, 'GET', '/api/protected', 422, { headers: bearer('not.a-real.token') });
    const initial = await deps.jwt.signAccess('alice');
    const refused = await call(baseUrl, 'GET', '/api/protected', 401, { headers: bearer(initial.token) });
    expect(refused.body).toContain('"error"');
    // The listener's own answers: headers too large.
    await call(baseUrl, 'GET', '/api/protected', 431, { headers: { 'x-padding': 'p'.repeat(20_000) } });
  });

  it('captures, recordings and switching: success, one camera failing, each error status', async () => {
    const { baseUrl, camera, auth } = await start();
    for (const path of ['/api/take_photo', '/api/take_photo2', '/api/take_photo_both', '/api/take_raw_photo', '/api/take_raw_photo2', '/api/take_raw_photo_both']) {
      await call(baseUrl, 'GET', path, 200, auth);
    }
    await call(baseUrl, 'GET', '/api/record_video', 200, auth);
    await call(baseUrl, 'GET', '/api/stop_video', 200, auth);
    await call(baseUrl, 'GET', '/api/record_video2', 200, { headers: { ...auth.headers, ...jsonHeaders }, body: '{"duration": 5}' });
    await call(baseUrl, 'GET', '/api/stop_video2', 200, auth);
    await call(baseUrl, 'GET', '/api/record_video_both', 200, auth);
    await call(baseUrl, 'GET', '/api/stop_video_both', 200, auth);
    await call(baseUrl, 'GET', '/api/stop_video', 500, auth);
    await call(baseUrl, 'GET', '/api/stop_video_both', 500, auth);
    await call(baseUrl, 'GET', '/api/switch_cameras', 200, auth);
    await call(baseUrl, 'GET', '/api/start_triggered_capture', 500, auth);
    await call(baseUrl, 'GET', '/api/stop_triggered_capture', 500, auth);

    // Bodies of record_video*: a bad duration, bad JSON, not JSON.
    await call(baseUrl, 'GET', '/api/record_video', 400, { headers: { ...auth.headers, ...jsonHeaders }, body: '{"duration": -1}' });
    await call(baseUrl, 'GET', '/api/record_video_both', 400, { headers: { ...auth.headers, ...jsonHeaders }, body: '{"duration":' });
    await call(baseUrl, 'GET', '/api/record_video2', 415, { headers: { ...auth.headers, 'content-type': 'text/plain' }, body: 'duration=5' });

    camera.failure = new CameraError('failed', 'the camera did not answer');
    await call(baseUrl, 'GET', '/api/take_photo', 500, auth);
    camera.failOn = 1;
    const partial = await call(baseUrl, 'GET', '/api/take_photo_both', 500, auth);
    expect(JSON.parse(partial.body)).toMatchObject({ message: { Photo1: expect.stringMatching(/^\/data/), Photo2: expect.stringMatching(/^Error in/) } });
    await call(baseUrl, 'GET', '/api/record_video_both', 500, auth);
    camera.failOn = null;
    camera.failure = new CameraError('storage', 'The photo directory /data/photos is not writable (read-only)');
    await call(baseUrl, 'GET', '/api/take_raw_photo', 409, auth);
    await call(baseUrl, 'GET', '/api/take_photo_both', 409, auth);
    camera.failure = new CameraError('unavailable', 'The camera pipeline is restarting');
    await call(baseUrl, 'GET', '/api/record_video', 503, auth);
    await call(baseUrl, 'GET', '/api/record_video', 503, auth);
    camera.recording.add(0);
    await call(baseUrl, 'GET', '/api/stop_video', 503, auth);
    // Anything but a CameraError is the error handler's 500 {"error": …}.
    camera.failure = new Error('a bug');
    const internal = await call(baseUrl, 'GET', '/api/take_photo2', 500, auth);
    expect(internal.body).toBe('{"error":"Internal server error"}\n');
    camera.failure = null;
    camera.second = null;
    await call(baseUrl, 'GET', '/api/take_photo2', 500, auth);
    await call(baseUrl, 'GET', '/api/take_raw_photo_both', 500, auth);
    await call(baseUrl, 'GET', '/api/switch_cameras', 500, auth);
  });

  it('info and probe', async () => {
    const { baseUrl, auth } = await start();
    const info = await call(baseUrl, 'GET', '/api/info', 200, auth);
    expect(JSON.parse(info.body)).toMatchObject({ message: { operation_status: { livestream2_active: true } } });
    const probe = body({ properties: [{ property: 'CameraCfg().serverConfig.isVideoRecording' }, { property: 'CamPanel.pipeline.cameras' }, { property: 'os.system' }, { nothing: 1 }, 7] });
    await call(baseUrl, 'GET', '/api/probe', 200, { headers: { ...auth.headers, ...probe.headers }, body: probe.body });
    await call(baseUrl, 'GET', '/api/probe', 400, { headers: { ...auth.headers, ...jsonHeaders }, body: '{}' });
    await call(baseUrl, 'GET', '/api/probe', 400, { headers: { ...auth.headers, ...jsonHeaders }, body: '{"properties": []}' });
    await call(baseUrl, 'GET', '/api/probe', 415, auth);
  });

  it('without cameras: info still answers, camera endpoints and streams say none is configured', async () => {
    const { baseUrl, access, auth } = await start({ noCamera: true });
    const info = await call(baseUrl, 'GET', '/api/info', 200, auth);
    expect(JSON.parse(info.body)).toMatchObject({ message: { active_camera: 'none', cameras: [] } });
    await call(baseUrl, 'GET', '/api/take_photo', 500, auth);
    await call(baseUrl, 'GET', '/api/stop_video_both', 500, auth);
    await call(baseUrl, 'GET', `/video_feed?token=${access}`, 404);
    await call(baseUrl, 'GET', `/photo_feed?token=${access}`, 404);
  });

  it('streams and snapshots: MJPEG, JPEG, and every refusal', async () => {
    const { baseUrl, camera, access } = await start();
    const token = `token=${access}`;
    await openStream(baseUrl, `/video_feed?${token}`, 200);
    await openStream(baseUrl, `/api/stream?camera=0&${token}`, 200);
    await openStream(baseUrl, `/?action=stream&${token}`, 200);
    await call(baseUrl, 'HEAD', `/video_feed2?${token}`, 200);
    for (const path of ['/photo_feed', '/photo_feed2', '/api/snapshot?camera=1', '/?action=snapshot']) {
      const separator = path.includes('?') ? '&' : '?';
      const result = await call(baseUrl, 'GET', `${path}${separator}${token}`, 200);
      expect(result.headers['x-timestamp']).toBe('1764151500.250000');
    }
    const refused = await call(baseUrl, 'GET', '/video_feed', 401);
    expect(refused.headers['www-authenticate']).toMatch(/^Basic /);
    await call(baseUrl, 'GET', '/photo_feed', 401, { headers: { authorization: `Basic ${Buffer.from('bob:wrong-password-x').toString('base64')}` } });
    await call(baseUrl, 'GET', `/api/stream?camera=x&${token}`, 400);
    await call(baseUrl, 'GET', `/api/snapshot?camera=7&${token}`, 404);
    await call(baseUrl, 'GET', `/?${token}`, 404);
    camera.second = null;
    await call(baseUrl, 'GET', `/video_feed2?${token}`, 404);
    await call(baseUrl, 'GET', `/photo_feed2?${token}`, 404);
    camera.failure = new CameraError('unavailable', 'The camera pipeline is starting');
    await call(baseUrl, 'GET', `/photo_feed?${token}`, 503);
    camera.failure = new CameraError('failed', 'No frame from camera 0 within 5 s');
    await call(baseUrl, 'GET', `/api/snapshot?${token}`, 503);
  });

  it('too many failed logins: 429 with Retry-After, at /api/login and for Basic on streams', async () => {
    const limiter = new NetworkLoginLimiter({ perUserAndClient: { maxFailures: 1, baseDelayMs: 60_000 } });
    const { baseUrl } = await start({ limiter });
    const basic = { headers: { authorization: `Basic ${Buffer.from('admin:wrong-password-x').toString('base64')}` } };
    await call(baseUrl, 'GET', '/photo_feed', 401, basic);
    await call(baseUrl, 'GET', '/photo_feed', 401, basic);
    const limited = await call(baseUrl, 'GET', '/photo_feed', 429, basic);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    await call(baseUrl, 'POST', '/api/login', 429, body({ username: 'admin', password: 'wrong-password-x' }));
  });

  it('the tests above checked every documented operation', () => {
    const documented = raspiCamSrvOperationDocs.map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect(documented.filter((operation) => !covered.has(operation))).toEqual([]);
  });
});
