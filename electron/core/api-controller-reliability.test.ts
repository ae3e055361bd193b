/**
 * What the API lifecycle must never do: replace a vanished secrets file behind the user's back, or let
 * concurrent "Restart API" calls interleave. Real core, real secrets file, real listener on 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../operations/actor.js';
import { restartApi } from '../operations/api.js';
import { storeApiSettings } from '../operations/settings.js';
import { generateToken, rotateKey } from '../operations/tokens.js';
import { CamPanelCore } from './campanel-core.js';

let dir: string;
let secrets: string;
let core: CamPanelCore;
let logText: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** Whether anything accepts connections on the port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-lifecycle-'));
  secrets = join(dir, 'keys', 'campanel.secrets');
  logText = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString();
      done();
    },
  });
  core = await CamPanelCore.open({ dataDir: join(dir, 'data'), logger: pino({ level: 'info' }, sink) });
  await core.users.createFirstAdmin('ada', 'ada-password-1');
});

afterEach(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

async function configure(port: number, path = secrets) {
  core.settings.setGeneral({ allowApi: true });
  return storeApiSettings(core, { secretsFilePath: path, accessTokenMinutes: 60, refreshTokenDays: 0, host: '127.0.0.1', port }, CLI_ACTOR);
}

const protectedStatus = async (port: number, token: string) =>
  (await fetch(`http://127.0.0.1:${port}/api/protected`, { headers: { Authorization: `Bearer ${token}` } })).status;

describe('a vanished secrets file is never replaced silently', () => {
  it('Restart API with the file gone: no new key, a red "missing" banner, the running API and its tokens keep working', async () => {
    const port = await freePort();
    await configure(port);
    await core.api.restart();
    const { token } = await generateToken(core, { owner: 'ada', label: 'door' }, CLI_ACTOR);
    await rm(secrets);

    const status = await restartApi(core, CLI_ACTOR);
    expect(existsSync(secrets)).toBe(false);
    expect(status.banner).toMatchObject({ colour: 'red', newKeyButton: true });
    expect(status.banner?.message).toContain(`secrets file missing: ${secrets}`);
    // The listener that was running is kept: stopping it would only lose a key nobody can recover.
    expect(status.running).toBe(true);
    expect(await protectedStatus(port, token)).toBe(200);
    expect(core.tokens.list()).toHaveLength(1);
  });

  it('at start-up a missing file is reported, not created', async () => {
    const port = await freePort();
    await configure(port);
    await rm(secrets);
    await core.api.startIfValid();
    expect(core.api.isRunning).toBe(false);
    expect(existsSync(secrets)).toBe(false);
    expect(await core.api.inactiveReason()).toBe(`secrets file missing: ${secrets}`);
  });

  it('Submit with the stored path whose file is gone refuses beside the field and creates nothing', async () => {
    const port = await freePort();
    await configure(port);
    await rm(secrets);
    await expect(configure(port)).rejects.toMatchObject({ fields: { secretsFilePath: expect.stringContaining(`secrets file missing: ${secrets}`) } });
    expect(existsSync(secrets)).toBe(false);
  });

  it('a path configured for the first time is created, and the answer says so with the absolute path', async () => {
    const port = await freePort();
    const first = await configure(port);
    expect(first.secretsFile).toEqual({ resolvedPath: secrets, outcome: 'created' });
    const again = await configure(port);
    expect(again.secretsFile).toEqual({ resolvedPath: secrets, outcome: 'existing' });
    const other = join(dir, 'other', 'campanel.secrets');
    expect((await configure(port, other)).secretsFile).toEqual({ resolvedPath: other, outcome: 'created' });
    // A file without a key, configured now, gets one (raspiCamSrv's own first step leaves an empty file).
    const empty = join(dir, 'empty.secrets');
    await writeFile(empty, '', { mode: 0o600 });
    expect((await configure(port, empty)).secretsFile).toEqual({ resolvedPath: empty, outcome: 'keyAdded' });
  });

  it('"Create a new key" writes the missing file and ends every listed token', async () => {
    const port = await freePort();
    await configure(port);
    await core.api.restart();
    const { token } = await generateToken(core, { owner: 'ada', label: 'door' }, CLI_ACTOR);
    await rm(secrets);

    const status = await rotateKey(core, CLI_ACTOR);
    expect(existsSync(secrets)).toBe(true);
    expect(core.tokens.list()).toEqual([]);
    expect(await protectedStatus(port, token)).toBe(401);
    expect(status.banner).toMatchObject({ colour: 'yellow', message: 'To update the JWT key, restart the API' });
    expect((await restartApi(core, CLI_ACTOR)).banner?.colour).toBe('green');
  });
});

describe('concurrent Restart API', () => {
  it('10 at once: one listener at a time, every reply says running, no "port in use"', async () => {
    const port = await freePort();
    await configure(port);
    await core.api.restart();
    const replies = await Promise.all(Array.from({ length: 10 }, () => restartApi(core, CLI_ACTOR)));
    expect(replies.map((reply) => reply.running)).toEqual(Array(10).fill(true));
    expect(replies.map((reply) => reply.banner?.colour)).toEqual(Array(10).fill('green'));
    expect(logText).not.toMatch(/already in use/);
    expect(logText).not.toMatch(/API start failed/);
    // Stopping the one listener the controller knows must free the port: no listener was left behind.
    await core.api.stop();
    expect(await listening(port)).toBe(false);
  });

  it('a restart asked for while one runs reads the settings stored before it was asked for', async () => {
    const port = await freePort();
    const next = await freePort();
    await configure(port);
    const first = core.api.restart();
    await configure(next);
    const second = await core.api.restart();
    await first;
    expect(second.banner).toMatchObject({ colour: 'green', urls: [`http://127.0.0.1:${next}/api`] });
  });
});
