/**
 * The API with a passphrase-protected secrets file: it starts locked (a listener that answers 503 outside
 * /system), an unlock starts it normally, and protecting or unprotecting never disturbs a running API.
 * Real core, real secrets file, real listener on 127.0.0.1.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MSG_ACTIVE } from '../../shared/api-status.js';
import type { PanelEvent } from '../../shared/contract.js';
import { CLI_ACTOR } from '../operations/actor.js';
import { storeApiSettings } from '../operations/settings.js';
import { MSG_SECRETS_LOCKED } from '../secrets/secrets-file.js';
import { SecretsLockError } from '../secrets/secrets-lock.js';
import { forgetUnlockedSecrets } from '../secrets/secrets-protection.js';
import { CamPanelCore } from './campanel-core.js';

const PASSPHRASE = 'correct horse battery staple';
const LOCKED_BODY = '{"msg":"Secrets locked: the API starts once an admin unlocks the secrets file"}\n';

let dir: string;
let secrets: string;
let core: CamPanelCore;
let apiEvents: number;
let blocker: Server | null = null;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-locked-'));
  secrets = join(dir, 'keys', 'campanel.secrets');
  core = await CamPanelCore.open({ dataDir: join(dir, 'data'), logger: pino({ level: 'silent' }) });
  await core.users.createFirstAdmin('ada', 'ada-password-1');
  apiEvents = 0;
  core.events.on('event', (event: PanelEvent) => {
    if (event.topic === 'api') apiEvents += 1;
  });
});

afterEach(async () => {
  await core.close();
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = null;
  forgetUnlockedSecrets();
  await rm(dir, { recursive: true, force: true });
});

async function configure(port: number) {
  core.settings.setGeneral({ allowApi: true });
  await storeApiSettings(core, { secretsFilePath: secrets, accessTokenMinutes: 60, refreshTokenDays: 0, host: '127.0.0.1', port }, CLI_ACTOR);
}

/** Configured, protected, and the process restarted: the file is locked when the API starts. */
async function lockedStart(port: number): Promise<void> {
  await configure(port);
  await core.api.protectSecrets(PASSPHRASE);
  forgetUnlockedSecrets();
  await core.api.startIfValid();
}

const login = (port: number) =>
  fetch(`http://127.0.0.1:${port}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'ada', password: 'ada-password-1' }),
  });
const protectedStatus = async (port: number, token: string) =>
  (await fetch(`http://127.0.0.1:${port}/api/protected`, { headers: { Authorization: `Bearer ${token}` } })).status;
const snapshot = async () => ({ bytes: (await readFile(secrets)).toString('hex'), mode: (await stat(secrets)).mode & 0o777 });

describe('a locked secrets file at start', () => {
  it('listens in locked mode: 503 outside /system, inactive in the status, red "Secrets locked" banner', async () => {
    const port = await freePort();
    await lockedStart(port);

    expect(core.api.isRunning).toBe(false);
    expect(core.api.urls).toEqual([]);
    expect(core.api.lockedMode).toBe(true);
    const status = await core.api.status();
    expect(status).toMatchObject({ running: false, keyPresent: false, resolvedSecretsPath: secrets });
    expect(status.banner).toEqual({
      colour: 'red',
      message: `${MSG_SECRETS_LOCKED}. The API stays inactive until then`,
      restartButton: false,
      newKeyButton: false,
      urls: [],
    });
    expect(status.generateDisabledReason).toBe(MSG_SECRETS_LOCKED);
    expect(await core.api.inactiveReason()).toBe(MSG_SECRETS_LOCKED);
    expect(await core.api.secretsLock()).toEqual({ configured: true, protected: true, locked: true });

    for (const request of [
      login(port),
      fetch(`http://127.0.0.1:${port}/api/protected`, { headers: { Authorization: 'Bearer x.y.z' } }),
      fetch(`http://127.0.0.1:${port}/api/info`),
      fetch(`http://127.0.0.1:${port}/no/such/path`),
      fetch(`http://127.0.0.1:${port}/systemx/hsm`),
    ]) {
      const response = await request;
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.text()).toBe(LOCKED_BODY);
    }
    // /system is left to its own dialect (absent here, so the not-found answer): never the locked 503.
    expect((await fetch(`http://127.0.0.1:${port}/system/hsm`)).status).not.toBe(503);
  });

  it('refuses to mint or rotate anything, and writes nothing', async () => {
    const port = await freePort();
    await lockedStart(port);
    const before = await snapshot();
    await expect(core.api.generateToken('ada', 'door')).rejects.toThrow(MSG_SECRETS_LOCKED);
    await expect(core.api.rotateKey()).rejects.toThrow(MSG_SECRETS_LOCKED);
    await core.api.restart();
    expect(await snapshot()).toEqual(before);
    expect(core.api.lockedMode).toBe(true);
  });

  it('a wrong passphrase changes nothing; the right one starts the API normally, and old tokens work again', async () => {
    const port = await freePort();
    await configure(port);
    await core.api.restart();
    const { token } = await core.api.generateToken('ada', 'door');
    await core.api.protectSecrets(PASSPHRASE);
    await core.api.stop();
    forgetUnlockedSecrets();
    await core.api.startIfValid();
    expect(core.api.lockedMode).toBe(true);
    expect(await protectedStatus(port, token)).toBe(503);

    const before = await snapshot();
    const eventsBefore = apiEvents;
    const wrong = await core.api.unlockSecrets('wrong horse battery staple').catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(SecretsLockError);
    expect(wrong).toMatchObject({ reason: 'wrongPassphrase' });
    expect(await snapshot()).toEqual(before);
    expect(core.api.lockedMode).toBe(true);

    expect(await core.api.unlockSecrets(PASSPHRASE)).toEqual({ configured: true, protected: true, locked: false });
    await core.api.settled();
    expect(apiEvents).toBeGreaterThan(eventsBefore);
    expect(core.api.lockedMode).toBe(false);
    expect(core.api.isRunning).toBe(true);
    expect((await core.api.status()).banner).toMatchObject({ colour: 'green', message: MSG_ACTIVE, urls: [`http://127.0.0.1:${port}/api`] });
    expect(await protectedStatus(port, token)).toBe(200);
    expect((await login(port)).status).toBe(200);
    // Unlocking again is refused: there is nothing to unlock.
    await expect(core.api.unlockSecrets(PASSPHRASE)).rejects.toMatchObject({ reason: 'notLocked' });
    expect(await snapshot()).toEqual(before);
  });

  it('a restart while locked moves the locked listener to the stored address', async () => {
    const port = await freePort();
    await lockedStart(port);
    const next = await freePort();
    core.settings.setApi({ ...core.settings.get().api, port: next });
    await core.api.restart();
    expect(core.api.lockedMode).toBe(true);
    expect(await (await fetch(`http://127.0.0.1:${next}/api/info`)).text()).toBe(LOCKED_BODY);
    await expect(fetch(`http://127.0.0.1:${port}/api/info`)).rejects.toThrow();
  });

  it('a port in use is reported; unlocking tries again', async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(port, '127.0.0.1', resolve));
    await lockedStart(port);
    expect(core.api.lockedMode).toBe(false);
    expect((await core.api.status()).banner?.message).toMatch(/^Secrets locked: /);

    await new Promise<void>((resolve) => blocker?.close(() => resolve()));
    blocker = null;
    await core.api.unlockSecrets(PASSPHRASE);
    await core.api.settled();
    expect(core.api.isRunning).toBe(true);
  });

  it('removing the protection with the passphrase starts the API normally, from the file in clear', async () => {
    const port = await freePort();
    await lockedStart(port);
    expect(await core.api.unprotectSecrets(PASSPHRASE)).toEqual({ configured: true, protected: false, locked: false });
    await core.api.settled();
    expect(core.api.isRunning).toBe(true);
    expect(JSON.parse(await readFile(secrets, 'utf8'))).toHaveProperty('jwtSecrets.jwtSecretKey');
    expect((await login(port)).status).toBe(200);
  });
});

describe('protecting while the API runs', () => {
  it('keeps the listener and its tokens; a key rotation keeps the file protected', async () => {
    const port = await freePort();
    await configure(port);
    await core.api.restart();
    const { token } = await core.api.generateToken('ada', 'door');
    const eventsBefore = apiEvents;

    expect(await core.api.protectSecrets(PASSPHRASE)).toEqual({ configured: true, protected: true, locked: false });
    expect(apiEvents).toBe(eventsBefore + 1);
    expect(Object.keys(JSON.parse(await readFile(secrets, 'utf8')) as object)).toEqual(['campanelProtected']);
    expect((await core.api.status()).banner?.colour).toBe('green');
    expect(await protectedStatus(port, token)).toBe(200);
    await expect(core.api.protectSecrets(PASSPHRASE)).rejects.toMatchObject({ reason: 'alreadyProtected' });

    await core.api.rotateKey();
    expect(Object.keys(JSON.parse(await readFile(secrets, 'utf8')) as object)).toEqual(['campanelProtected']);
    await core.api.restart();
    expect((await core.api.status()).banner?.colour).toBe('green');

    await core.api.unprotectSecrets(PASSPHRASE);
    await core.api.settled();
    expect(core.api.isRunning).toBe(true);
    expect(Object.keys(JSON.parse(await readFile(secrets, 'utf8')) as object)).toEqual(['jwtSecrets']);
  });

  it('with no path configured there is nothing to protect', async () => {
    expect(await core.api.secretsLock()).toEqual({ configured: false, protected: false, locked: false });
    await expect(core.api.protectSecrets(PASSPHRASE)).rejects.toMatchObject({ reason: 'noFile' });
  });
});
