/**
 * Test kit for the /system dialect: a real API listener on 127.0.0.1:0 (test-support/api-test-kit.ts) with
 * the fake SystemApi, the test world's users (admin, bob = user, alice = initial password), role changes
 * and revocations that take effect per request, and helpers to read the envelope.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect } from 'vitest';
import type { ApiDeps, ApiTokenRegistry, ApiUser, ApiUserDirectory } from '../api-deps.js';
import type { ListenerLimits } from '../http-listener.js';
import { http, makeWorld, serverPool, type HttpResult, type World } from '../../test-support/api-test-kit.js';
import { FakeSystem } from './test-fake-system.js';

export const VERSION = 'CamPanel 9.8.7';

/** The world's users, with roles an individual test may override (an admin demoted, a user promoted). */
export function directoryWithRoles(world: World): { users: ApiUserDirectory; roles: Map<string, ApiUser['role']> } {
  const roles = new Map<string, ApiUser['role']>();
  const users: ApiUserDirectory = {
    verifyPassword: (name, password) => world.users.verifyPassword(name, password),
    tokensValidFrom: (name) => world.users.tokensValidFrom(name),
    get: (name) => {
      const user = world.users.get(name);
      return user ? { ...user, role: roles.get(name) ?? user.role } : null;
    },
  };
  return { users, roles };
}

/** The world's token registry, plus jtis a test revokes. */
export function registryWithRevocations(world: World): { tokens: ApiTokenRegistry; revoked: Set<string> } {
  const revoked = new Set<string>();
  const tokens: ApiTokenRegistry = {
    isRevoked: (jti) => revoked.has(jti) || world.tokens.isRevoked(jti),
    markUsed: (jti) => world.tokens.markUsed(jti),
    isGenerated: (jti) => world.tokens.isGenerated(jti),
  };
  return { tokens, revoked };
}

export interface SystemServer {
  baseUrl: string;
  deps: ApiDeps;
  system: FakeSystem;
  roles: Map<string, ApiUser['role']>;
  revoked: Set<string>;
  /** An access token for `name`, signed by the listener's key, that the user's token cutoff admits. */
  token(name: string): Promise<string>;
  /** A request with `Authorization: <token of name>` (privacyIDEA's own tests send it so). */
  as(name: string, method: string, path: string, options?: { headers?: Record<string, string>; body?: string | Buffer }): Promise<HttpResult>;
}

export async function startSystemServer(
  pool: ReturnType<typeof serverPool>,
  world: World,
  overrides: Partial<ApiDeps> = {},
  limits?: Partial<ListenerLimits>,
): Promise<SystemServer> {
  const system = new FakeSystem();
  const { users, roles } = directoryWithRoles(world);
  const { tokens, revoked } = registryWithRevocations(world);
  const { baseUrl, deps } = await pool.start(world, { system, users, tokens, version: VERSION, ...overrides }, limits);
  const token = async (name: string) => {
    // Tokens of the second of a user's creation or password change are refused (raspicamsrv/guard.ts), as
    // those of a just-created test world would be: mint in the next second, as /api/login does.
    const validFrom = world.users.tokensValidFrom(name);
    const wait = validFrom === null ? 0 : (Math.floor(validFrom / 1000) + 1) * 1000 - Date.now();
    if (wait > 0) await sleep(wait + 5);
    return (await deps.jwt.signAccess(name)).token;
  };
  return {
    baseUrl,
    deps,
    system,
    roles,
    revoked,
    token,
    as: async (name, method, path, options = {}) =>
      http(baseUrl, method, path, { ...options, headers: { authorization: await token(name), ...options.headers } }),
  };
}

export interface Envelope {
  id: number;
  jsonrpc: string;
  result: { status: boolean; value?: unknown; error?: { code: number; message: string } };
  time: number;
  version: string;
  versionnumber?: string;
  detail?: unknown;
}

/** The body as a privacyIDEA envelope, after checking the headers every JSON answer carries. */
export function envelope(result: HttpResult): Envelope {
  expect(result.headers['content-type']).toBe('application/json');
  expect(result.headers['cache-control']).toBe('no-cache');
  expect(result.body.endsWith('\n')).toBe(true);
  return JSON.parse(result.body) as Envelope;
}

/** A success: exact keys, status true; returns `result.value`. */
export function success(result: HttpResult, status = 200): unknown {
  expect(result.status, result.body).toBe(status);
  const body = envelope(result);
  expect(Object.keys(body).sort()).toEqual(['id', 'jsonrpc', 'result', 'time', 'version', 'versionnumber']);
  expect(body).toMatchObject({ id: 1, jsonrpc: '2.0', version: VERSION, versionnumber: '9.8.7' });
  expect(Object.keys(body.result).sort()).toEqual(['status', 'value']);
  expect(body.result.status).toBe(true);
  return body.result.value;
}

/** An error: exact keys (no versionnumber, detail null unless given), status, code and message. */
export function failure(result: HttpResult, status: number, code: number, message: string | RegExp, detail: unknown = null): void {
  expect(result.status, result.body).toBe(status);
  const body = envelope(result);
  expect(Object.keys(body).sort()).toEqual(['detail', 'id', 'jsonrpc', 'result', 'time', 'version']);
  expect(body).toMatchObject({ id: 1, jsonrpc: '2.0', version: VERSION });
  expect(body.detail).toEqual(detail);
  expect(Object.keys(body.result).sort()).toEqual(['error', 'status']);
  expect(body.result.status).toBe(false);
  expect(body.result.error?.code).toBe(code);
  if (typeof message === 'string') expect(body.result.error?.message).toBe(message);
  else expect(body.result.error?.message).toMatch(message);
}

export const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

export const json = (value: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

/**
 * One /system listener for the enclosing describe block, on a fresh world: started before its tests, stopped
 * with the world's temp directory after them. `started` hands both to the block's own variables; `overrides`
 * is read when the listener starts; `pool` takes further listeners a test starts itself.
 */
export function useSystemServer(
  started: (run: { world: World; server: SystemServer; pool: ReturnType<typeof serverPool> }) => void,
  overrides: () => Partial<ApiDeps> = () => ({})): void {
  const pool = serverPool();
  let world: World | undefined;
  beforeAll(async () => {
    world = await makeWorld();
    started({ world, server: await startSystemServer(pool, world, overrides()), pool });
  });
  afterAll(async () => {
    await pool.stopAll();
    await world?.cleanUp();
  });
}
