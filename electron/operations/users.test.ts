/**
 * Users with a real core, a real API listener on 127.0.0.1 and clients on other loopback addresses
 * (127.0.0.2, 127.0.0.3: on Linux the whole 127/8 is loopback, so each is a distinct client address):
 * failures on the network API never lock the panel, the panel shows locks and an admin clears them,
 * failed network logins are logged within a budget, and a user's login tokens die with the user.
 */
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CamPanelCore } from '../core/campanel-core.js';
import { createHandlers } from '../handlers/index.js';
import { HandlerRegistry, type CallContext } from '../registry/handler-registry.js';
import { CLI_ACTOR } from './actor.js';
import { storeApiSettings } from './settings.js';
import { generateToken } from './tokens.js';
import { addUser, changePassword, createFirstAdmin, listUsers, removeUser, resetPassword } from './users.js';

type LogLine = Record<string, unknown>;

let dir: string;
let core: CamPanelCore;
let registry: HandlerRegistry;
let port: number;
let logText: string;

const ADMIN = { name: 'ada', password: 'ada-password-1' };

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-users-'));
  logText = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString();
      done();
    },
  });
  core = await CamPanelCore.open({ dataDir: join(dir, 'data'), logger: pino({ level: 'info' }, sink) });
  registry = new HandlerRegistry(createHandlers(core), (name) => core.users.get(name));
  await createFirstAdmin(core, ADMIN, CLI_ACTOR);
  port = await freePort();
  core.settings.setGeneral({ allowApi: true });
  const api = { secretsFilePath: join(dir, 'keys', 'campanel.secrets'), accessTokenMinutes: 60, refreshTokenDays: 1, host: '127.0.0.1', port };
  await storeApiSettings(core, api, CLI_ACTOR);
  await core.api.restart();
  expect(core.api.isRunning).toBe(true);
});

afterEach(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

const logLines = (): LogLine[] =>
  logText
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogLine);

const panel = (user: string | null): CallContext => ({ session: { userName: user }, transport: 'http', address: '127.0.0.1' });

/** An HTTP request to the API from `from` (a loopback address of this machine). */
function api(
  method: string,
  path: string,
  options: { from?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { ...options.headers };
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    const req = request({ host: '127.0.0.1', port, method, path, headers, localAddress: options.from ?? '127.0.0.1' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const apiLogin = (username: string, password: string, from = '127.0.0.1') => api('POST', '/api/login', { from, body: { username, password } });

async function apiTokens(username: string, password: string): Promise<{ access_token: string; refresh_token: string }> {
  const result = await apiLogin(username, password);
  expect(result.status).toBe(200);
  return JSON.parse(result.body) as { access_token: string; refresh_token: string };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const protectedWith = (token: string) => api('GET', '/api/protected', { headers: bearer(token) });
const refreshWith = (token: string) => api('POST', '/api/refresh', { headers: bearer(token) });
const REVOKED = { status: 401, body: '{"msg":"Token has been revoked"}\n' };

async function invokeOk(channel: string, payload: unknown, context: CallContext): Promise<unknown> {
  const result = await registry.invoke(channel, payload, context);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value;
}

async function addWithPassword(name: string, password: string): Promise<void> {
  await addUser(core, { name, role: 'user', password: `${name}-initial-1` }, CLI_ACTOR);
  await changePassword(core, { name, currentPassword: `${name}-initial-1`, newPassword: password }, CLI_ACTOR);
}

describe('failed network logins never lock the panel', () => {
  it('nine wrong /api/login for the admin from other addresses: the panel and other clients still log in', async () => {
    for (let i = 0; i < 6; i += 1) await apiLogin(ADMIN.name, 'wrong-password-x', '127.0.0.2');
    for (let i = 0; i < 3; i += 1) await apiLogin(ADMIN.name, 'wrong-password-x', '127.0.0.3');

    // The panel (desktop window and loopback panel) is not touched by any of it.
    expect(await invokeOk('login', ADMIN, panel(null))).toMatchObject({ phase: 'ready', user: { name: ADMIN.name } });
    expect(await invokeOk('login', ADMIN, { ...panel(null), transport: 'ipc', address: 'local' })).toMatchObject({ phase: 'ready' });
    // On the API, the owner's client goes on; only the guessing address is held back.
    expect((await apiLogin(ADMIN.name, ADMIN.password, '127.0.0.1')).status).toBe(200);
    expect((await apiLogin(ADMIN.name, ADMIN.password, '127.0.0.3')).status).toBe(200);
  });

  it('the panel shows which lock holds a user; an admin clears it and the user logs in at once', async () => {
    for (let i = 0; i < 6; i += 1) await apiLogin(ADMIN.name, 'wrong-password-x', '127.0.0.2');
    const [admin] = listUsers(core);
    expect(admin).toMatchObject({ name: ADMIN.name, locked: true, locks: [{ kind: 'api', clients: ['127.0.0.2'], clientCount: 1 }] });
    expect(await invokeOk('sessionState', {}, panel(ADMIN.name))).toMatchObject({ user: { locked: true } });

    const after = (await invokeOk('unlockUser', { name: ADMIN.name }, panel(ADMIN.name))) as Array<{ locked: boolean; locks?: unknown }>;
    expect(after[0]).toEqual({ name: ADMIN.name, role: 'admin', initial: false, locked: false });
    expect((await apiLogin(ADMIN.name, ADMIN.password, '127.0.0.2')).status).toBe(200);
    expect(logLines()).toContainEqual(expect.objectContaining({ op: 'user.unlock', user: ADMIN.name, panel: false, api: true, by: ADMIN.name }));
  });

  it('a panel lock is the panel’s alone: shown as such, cleared by Unlock, and the API still answers', async () => {
    await addWithPassword('bob', 'bob-password-12');
    for (let i = 0; i < 6; i += 1) await registry.invoke('login', { name: 'bob', password: 'wrong-password-x' }, panel(null));
    const refused = await registry.invoke('login', { name: 'bob', password: 'bob-password-12' }, panel(null));
    expect(refused).toMatchObject({ ok: false, error: { message: 'Too many failed attempts. Try again in 1 second.' } });
    expect(listUsers(core).find((u) => u.name === 'bob')?.locks).toEqual([{ kind: 'panel', until: expect.any(String) as string }]);
    expect((await apiLogin('bob', 'bob-password-12', '127.0.0.2')).status).toBe(200);

    await invokeOk('unlockUser', { name: 'bob' }, panel(ADMIN.name));
    expect(await invokeOk('login', { name: 'bob', password: 'bob-password-12' }, panel(null))).toMatchObject({ phase: 'ready' });
    await expect(registry.invoke('unlockUser', { name: 'nobody' }, panel(ADMIN.name))).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });
    await expect(registry.invoke('unlockUser', { name: ADMIN.name }, panel('bob'))).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('failed network logins are logged, within a budget', () => {
  it('500 failures from one client: a few lines with name, address and reason, never the password', async () => {
    const secret = 'not-the-password-x1';
    for (let i = 0; i < 3; i += 1) await apiLogin('ada', secret, '127.0.0.2');
    for (let round = 0; round < 25; round += 1) {
      await Promise.all(Array.from({ length: 20 }, () => apiLogin('ada', secret, '127.0.0.2')));
    }
    const failures = logLines().filter((line) => line['op'] === 'api.login');
    expect(failures).toHaveLength(5);
    for (const reason of ['wrong password', 'too many failures']) {
      expect(failures).toContainEqual(expect.objectContaining({ level: 40, user: 'ada', address: '127.0.0.2', reason, via: 'api-login' }));
    }
    expect(logText).not.toContain(secret);
  });

  it('names the reason: unknown user, password change required, and stream Basic failures', async () => {
    await addUser(core, { name: 'ivy', role: 'user', password: 'ivy-initial-12' }, CLI_ACTOR);
    await apiLogin('nobody', 'whatever-pass-1', '127.0.0.3');
    await apiLogin('ivy', 'ivy-initial-12', '127.0.0.3');
    const basic = `Basic ${Buffer.from('ada:wrong-basic-pw1').toString('base64')}`;
    expect((await api('GET', '/photo_feed', { from: '127.0.0.3', headers: { authorization: basic } })).status).toBe(401);
    const failures = logLines().filter((line) => line['op'] === 'api.login');
    expect(failures.map(({ user, address, reason, via }) => ({ user, address, reason, via }))).toEqual([
      { user: 'nobody', address: '127.0.0.3', reason: 'unknown user', via: 'api-login' },
      { user: 'ivy', address: '127.0.0.3', reason: 'password change required', via: 'api-login' },
      { user: 'ada', address: '127.0.0.3', reason: 'wrong password', via: 'stream-basic' },
    ]);
    expect(logText).not.toMatch(/wrong-basic-pw1|ivy-initial-12|whatever-pass-1/);
  });
});

describe("a user's login tokens die with the user", () => {
  it('remove user1, add user1 again, let it set its password: the old access and refresh tokens stay dead', async () => {
    await addWithPassword('user1', 'first-password-1');
    const old = await apiTokens('user1', 'first-password-1');
    expect((await protectedWith(old.access_token)).status).toBe(200);

    await removeUser(core, { name: 'user1' }, { by: ADMIN.name, via: 'panel' });
    await addWithPassword('user1', 'second-password-2');

    expect(await protectedWith(old.access_token)).toEqual(REVOKED);
    expect(await refreshWith(old.refresh_token)).toEqual(REVOKED);
    const fresh = await apiTokens('user1', 'second-password-2');
    expect((await protectedWith(fresh.access_token)).status).toBe(200);
    expect((await refreshWith(fresh.refresh_token)).status).toBe(200);
  });

  it('a password change ends older refresh and access tokens; a login right after it gets working ones', async () => {
    await addWithPassword('bob', 'bob-password-12');
    const old = await apiTokens('bob', 'bob-password-12');
    await changePassword(core, { name: 'bob', currentPassword: 'bob-password-12', newPassword: 'bob-password-13' }, CLI_ACTOR);
    expect(await refreshWith(old.refresh_token)).toEqual(REVOKED);
    expect(await protectedWith(old.access_token)).toEqual(REVOKED);
    const fresh = await apiTokens('bob', 'bob-password-13'); // often within the second of the change
    expect((await protectedWith(fresh.access_token)).status).toBe(200);
    expect((await refreshWith(fresh.refresh_token)).status).toBe(200);
  });

  it("an admin's reset ends the tokens for good, also once the user has set a new password", async () => {
    await addWithPassword('bob', 'bob-password-12');
    const old = await apiTokens('bob', 'bob-password-12');
    await resetPassword(core, { name: 'bob', password: 'reset-password-1' }, CLI_ACTOR);
    expect((await refreshWith(old.refresh_token)).status).toBe(401);
    await changePassword(core, { name: 'bob', currentPassword: 'reset-password-1', newPassword: 'bob-password-14' }, CLI_ACTOR);
    expect(await refreshWith(old.refresh_token)).toEqual(REVOKED);
    expect(await protectedWith(old.access_token)).toEqual(REVOKED);
  });

  it('a generated token outlives a password change (it is listed and revocable) and ends with its owner', async () => {
    await addWithPassword('bob', 'bob-password-12');
    const { token } = await generateToken(core, { owner: 'bob', label: 'door' }, CLI_ACTOR);
    await changePassword(core, { name: 'bob', currentPassword: 'bob-password-12', newPassword: 'bob-password-13' }, CLI_ACTOR);
    expect((await protectedWith(token)).status).toBe(200);
    await removeUser(core, { name: 'bob' }, CLI_ACTOR);
    await addWithPassword('bob', 'bob-password-14');
    expect(await protectedWith(token)).toEqual(REVOKED);
  });
});
