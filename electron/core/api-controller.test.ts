/**
 * The API lifecycle with real parts: a real core on a temp data directory, a real secrets file,
 * a real listener on 127.0.0.1.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MSG_ACTIVATE, MSG_ACTIVE, MSG_NOT_ACTIVE } from '../../shared/api-status.js';
import { CamPanelCore } from './campanel-core.js';
import { CLI_ACTOR } from '../operations/actor.js';
import { exportConfig, importConfig, storeApiSettings } from '../operations/settings.js';

let dir: string;
let core: CamPanelCore;
let blocker: Server | null = null;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-core-'));
  core = await CamPanelCore.open({ dataDir: join(dir, 'data'), logger: pino({ level: 'silent' }) });
  await core.users.createFirstAdmin('ada', 'ada-password-1');
});

afterEach(async () => {
  await core.close();
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = null;
  await rm(dir, { recursive: true, force: true });
});

async function configure(port: number) {
  core.settings.setGeneral({ allowApi: true });
  await storeApiSettings(core, {
    secretsFilePath: join(dir, 'keys', 'campanel.secrets'),
    accessTokenMinutes: 60,
    refreshTokenDays: 0,
    host: '127.0.0.1',
    port,
  }, CLI_ACTOR);
}

const protectedCall = (port: number, token: string) =>
  fetch(`http://127.0.0.1:${port}/api/protected`, { headers: { Authorization: `Bearer ${token}` } });

describe('ApiController', () => {
  it('walks red → yellow → green, and Submit never starts anything', async () => {
    core.settings.setGeneral({ allowApi: true });
    expect((await core.api.status()).banner?.message).toBe(MSG_NOT_ACTIVE);
    const port = await freePort();
    await configure(port);
    expect((await core.api.status()).banner?.message).toBe(MSG_ACTIVATE);
    expect(core.api.isRunning).toBe(false);
    const status = await core.api.restart();
    expect(status.banner).toMatchObject({ colour: 'green', message: MSG_ACTIVE, urls: [`http://127.0.0.1:${port}/api`] });
  });

  it('starts at app start from valid stored settings', async () => {
    const port = await freePort();
    await configure(port);
    await core.api.startIfValid();
    expect(core.api.isRunning).toBe(true);
  });

  it('reports a port in use in the banner instead of swallowing it', async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(port, '127.0.0.1', resolve));
    await configure(port);
    const status = await core.api.restart();
    expect(status.running).toBe(false);
    expect(status.banner).toMatchObject({ colour: 'red', restartButton: true });
    expect(status.banner?.message).toContain(`Port ${port} is already in use`);
    expect(await core.api.inactiveReason()).toContain('already in use');
  });

  it('generated tokens never expire, work at once, and all stop working when the key is rotated', async () => {
    const port = await freePort();
    await configure(port);
    await core.api.restart();
    const { token, record } = await core.api.generateToken('ada', 'door');
    expect(record).toMatchObject({ owner: 'ada', label: 'door' });
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(claims.exp).toBeUndefined();
    expect((await protectedCall(port, token)).status).toBe(200);
    const login = await fetch(`http://127.0.0.1:${port}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'ada', password: 'ada-password-1' }),
    });
    const { refresh_token: refresh } = (await login.json()) as { refresh_token: string };

    const before = JSON.parse(await readFile(join(dir, 'keys', 'campanel.secrets'), 'utf8')).jwtSecrets.jwtSecretKey;
    const status = await core.api.rotateKey();
    const after = JSON.parse(await readFile(join(dir, 'keys', 'campanel.secrets'), 'utf8')).jwtSecrets.jwtSecretKey;
    expect(after).not.toBe(before);
    expect((await protectedCall(port, token)).status).toBe(401);
    const refreshed = await fetch(`http://127.0.0.1:${port}/api/refresh`, { method: 'POST', headers: { Authorization: `Bearer ${refresh}` } });
    expect(refreshed.status).toBe(401);
    expect(await refreshed.text()).toBe('{"msg":"Token has been revoked"}\n');
    expect(status.banner).toMatchObject({ colour: 'yellow', message: 'To update the JWT key, restart the API' });
    expect(status.generateDisabledReason).toContain('restart the API');
    expect(core.tokens.list()).toEqual([]);

    await core.api.restart();
    expect((await core.api.status()).banner?.colour).toBe('green');
    const fresh = await core.api.generateToken('ada', '');
    expect((await protectedCall(port, fresh.token)).status).toBe(200);
  });

  it('refuses to generate a token without a valid key', async () => {
    core.settings.setGeneral({ allowApi: true });
    await expect(core.api.generateToken('ada', '')).rejects.toThrow(/JWT Secret Key File Path/);
    expect((await core.api.status()).generateDisabledReason).toContain('JWT Secret Key File Path');
  });
});

describe('configuration export and import', () => {
  it('exports every setting with the path but not the key, and imports it back', async () => {
    const port = await freePort();
    await configure(port);
    const { fileName, json } = exportConfig(core, CLI_ACTOR, new Date('2026-11-23T10:20:30Z'));
    expect(fileName).toBe('campanel-config-20261123-102030.json');
    const key = JSON.parse(await readFile(join(dir, 'keys', 'campanel.secrets'), 'utf8')).jwtSecrets.jwtSecretKey as string;
    expect(json).not.toContain(key);
    expect(JSON.parse(json).settings.api.port).toBe(port);

    core.settings.setGeneral({ allowApi: false });
    const imported = await importConfig(core, json, CLI_ACTOR);
    expect(imported.general.allowApi).toBe(true);
    expect(imported.api.port).toBe(port);
  });

  it.each([
    ['not JSON', '{oops', /not JSON/],
    ['another file', JSON.stringify({ hello: 'world' }), /not a CamPanel configuration/],
    ['a bad value', JSON.stringify({ format: 'campanel-configuration', version: 1, settings: { general: { allowApi: true }, api: { secretsFilePath: '', accessTokenMinutes: -1, refreshTokenDays: 0, host: '0.0.0.0', port: 5000 } } }), /Access Token Expiration in Minutes: Must be 0 or more/],
    ['an unusable secrets path', JSON.stringify({ format: 'campanel-configuration', version: 1, settings: { general: { allowApi: true }, api: { secretsFilePath: '/', accessTokenMinutes: 1, refreshTokenDays: 0, host: '0.0.0.0', port: 5000 } } }), /directory/],
  ])('refuses %s and changes nothing', async (_what, json, message) => {
    const before = core.settings.get();
    await expect(importConfig(core, json, CLI_ACTOR)).rejects.toThrow(message);
    expect(core.settings.get()).toEqual(before);
  });
});
