/**
 * Test kit for the /api server: real services in a temporary data directory, a server on 127.0.0.1:0,
 * and a raw node:http client (exact bytes, and GET with a body, which fetch refuses to send).
 */
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { ApiDeps } from '../api-server/api-deps.js';
import type { ListenerLimits } from '../api-server/http-listener.js';
import { ApiServer } from '../api-server/api-server.js';
import { DEFAULT_CAMERA, DEFAULT_CAMERA_SETTINGS } from '../../shared/domain.js';
import { JwtService } from '../jwt/jwt-service.js';
import { CameraService } from '../pipeline/camera-service.js';
import { PipelineSupervisor } from '../pipeline/supervisor.js';
import { TokenRegistry } from '../tokens/token-registry.js';
import { NetworkLoginLimiter } from '../users/network-login-limiter.js';
import { UserStore } from '../users/user-store.js';

export const TEST_KEY = 'test-key-for-campanel-api-0123456789abcdef'; // 42 bytes
export const PASSWORDS = { admin: 'admin-password-1', bob: 'bob-password-12', alice: 'alice-initial-1' } as const;

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function http(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    // Node's client sends a GET body without Content-Length or chunking unless told: set it, as curl does.
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = httpRequest(`${baseUrl}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}

export const jsonHeaders = { 'content-type': 'application/json' };
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Users: admin (first admin), bob (user, password changed), alice (added, still initial). */
export async function makeWorld() {
  const dataDir = await mkdtemp(join(tmpdir(), 'campanel-api-'));
  const users = await UserStore.open(dataDir);
  await users.createFirstAdmin('admin', PASSWORDS.admin);
  await users.add('bob', 'user', 'bob-initial-pw1');
  await users.changePassword('bob', 'bob-initial-pw1', PASSWORDS.bob);
  await users.add('alice', 'user', PASSWORDS.alice);
  const tokens = await TokenRegistry.open(dataDir);
  return { dataDir, users, tokens, cleanUp: () => rm(dataDir, { recursive: true, force: true }) };
}

export type World = Awaited<ReturnType<typeof makeWorld>>;

/** Starts an ApiServer on 127.0.0.1:0; remember to stop it (see servers.stopAll). */
export function serverPool() {
  const running: ApiServer[] = [];
  return {
    async start(world: World, overrides: Partial<ApiDeps> = {}, limits?: Partial<ListenerLimits>) {
      const deps: ApiDeps = {
        jwt: new JwtService(TEST_KEY, { accessTokenMinutes: 60, refreshTokenDays: 30 }),
        tokens: world.tokens,
        limiter: new NetworkLoginLimiter(),
        users: world.users,
        accessTokenMinutes: 60,
        ...overrides,
      };
      const server = new ApiServer();
      running.push(server);
      const { urls } = await server.start({ host: '127.0.0.1', port: 0, ...(limits ? { limits } : {}) }, deps);
      const baseUrl = (urls[0] ?? '').replace(/\/api$/, '');
      return { server, deps, baseUrl };
    },
    async stopAll() {
      await Promise.all(running.splice(0).map((server) => server.stop()));
    },
  };
}

export async function login(baseUrl: string, username: string, password: string): Promise<HttpResult> {
  return http(baseUrl, 'POST', '/api/login', { headers: jsonHeaders, body: JSON.stringify({ username, password }) });
}

export async function loginTokens(baseUrl: string, username: string, password: string) {
  const result = await login(baseUrl, username, password);
  if (result.status !== 200) throw new Error(`login failed: ${result.status} ${result.body}`);
  return JSON.parse(result.body) as { access_token: string; refresh_token?: string };
}

/**
 * A real CameraService with one configured test camera whose worker is never started: the test publishes
 * frames into `camera.hub` itself, as the frame reader would, so streams and snapshots run end to end
 * without ffmpeg. Stop it with `camera.stop()`.
 */
export function frameFedCamera(dataDir: string): CameraService {
  const logger = pino({ level: 'silent' });
  const supervisor = new PipelineSupervisor({
    launcher: () => {
      throw new Error('frameFedCamera never starts a worker');
    },
    env: {},
    logger,
  });
  const settings = { ...DEFAULT_CAMERA_SETTINGS, cameras: [{ backend: 'testsrc' as const, device: 'testsrc2', ...DEFAULT_CAMERA }], requireAuthForStreaming: false };
  return new CameraService({ dataDir, supervisor, logger, tools: { ffmpeg: null, rpicamVid: null, rpicamStill: null }, settings: () => settings, saveActiveCamera: () => undefined });
}

/** A tiny JPEG-shaped frame (SOI … EOI): the fan-out never decodes frames. */
export const FAKE_JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9]);
