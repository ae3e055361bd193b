/**
 * `campanel secrets …` on a real core: through the running instance's control socket (where an unlock lasts),
 * and on a core of its own when nothing runs (where an unlock would end with the command, so it is refused).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendCommand, startControlServer, type ControlServer } from '../../control/control-socket.js';
import { CamPanelCore } from '../../core/campanel-core.js';
import { CLI_ACTOR } from '../../operations/actor.js';
import { storeApiSettings } from '../../operations/settings.js';
import { forgetUnlockedSecrets } from '../../secrets/secrets-protection.js';
import { runOnCore } from './index.js';

const PASSPHRASE = 'correct horse battery staple';

let dir: string;
let secrets: string;
let core: CamPanelCore;
let control: ControlServer | null = null;
let logText: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-secrets-'));
  secrets = join(dir, 'keys', 'campanel.secrets');
  logText = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString();
      done();
    },
  });
  core = await CamPanelCore.open({ dataDir: join(dir, 'data'), logger: pino({ level: 'debug' }, sink) });
  core.settings.setGeneral({ allowApi: true });
  await storeApiSettings(core, { secretsFilePath: secrets, accessTokenMinutes: 60, refreshTokenDays: 0, host: '127.0.0.1', port: await freePort() }, CLI_ACTOR);
});

afterEach(async () => {
  await control?.close();
  control = null;
  await core.close();
  forgetUnlockedSecrets();
  await rm(dir, { recursive: true, force: true });
});

const send = (name: Parameters<typeof sendCommand>[1], args: unknown = {}) => sendCommand(core.dataDir, name, args);

describe('campanel secrets, through the running instance', () => {
  it('protect → (new start) status says locked → a wrong passphrase is refused → unlock starts the API → unprotect', async () => {
    control = await startControlServer(core);
    await core.api.startIfValid();
    expect(await send('secrets.status')).toBe(`${secrets}: not protected with a passphrase.\n`);

    expect(await send('secrets.protect', { passphrase: PASSPHRASE })).toBe(
      `${secrets} is now protected with a passphrase; raspiCamSrv cannot read it while it is. After every start of CamPanel, unlock it ` +
        '(Settings → API, campanel secrets unlock, or POST /system/hsm): until then the API stays inactive.\n',
    );
    expect(await send('secrets.status')).toBe(`${secrets}: protected with a passphrase, unlocked.\n`);

    // What the next start of the instance finds.
    await core.api.stop();
    forgetUnlockedSecrets();
    await core.api.startIfValid();
    expect(await send('secrets.status')).toBe(
      `${secrets}: protected with a passphrase, locked. The API stays inactive until it is unlocked (Settings → API, campanel secrets unlock, or POST /system/hsm).\n`,
    );

    await expect(send('secrets.unlock', { passphrase: 'wrong horse battery staple' })).rejects.toThrow(
      'Wrong passphrase (or the file was changed since it was protected): the secrets file stays locked',
    );
    expect(await send('secrets.unlock', { passphrase: PASSPHRASE })).toBe('Secrets file unlocked. API is active\n');
    expect(core.api.isRunning).toBe(true);

    expect(await send('secrets.unprotect', { passphrase: PASSPHRASE })).toBe(`${secrets} is stored in clear again (mode 0600), without a passphrase.\n`);
    expect(Object.keys(JSON.parse(await readFile(secrets, 'utf8')) as object)).toEqual(['jwtSecrets']);
    // Passphrases cross the socket but never reach the log.
    expect(logText).toContain('secrets file passphrase request refused');
    expect(logText).not.toContain('horse');
  });

  it('refuses a new passphrase shorter than 12 characters, naming the field but not the value', async () => {
    control = await startControlServer(core);
    await expect(send('secrets.protect', { passphrase: 'tiny-secret' })).rejects.toThrow(/^passphrase: Use at least 12 characters$/);
    await expect(send('secrets.unlock', { passphrase: '' })).rejects.toThrow(/^passphrase: Enter the passphrase$/);
  });
});

describe('campanel secrets, with nothing running', () => {
  it('protects and unprotects the file, but refuses to unlock: an unlock here would end with the command', async () => {
    expect(await runOnCore(core, 'secrets.protect', { passphrase: PASSPHRASE })).toMatch(/is now protected with a passphrase/);
    forgetUnlockedSecrets();
    expect(await runOnCore(core, 'secrets.status', {})).toBe(
      `${secrets}: protected with a passphrase. CamPanel is not running here; it starts locked, and campanel secrets unlock opens it once it runs.\n`,
    );
    await expect(runOnCore(core, 'secrets.unlock', { passphrase: PASSPHRASE })).rejects.toThrow(
      'CamPanel is not running on this data directory: start it (the app or campanel serve), then unlock it',
    );
    expect(core.api.isRunning).toBe(false);
    expect(core.api.lockedMode).toBe(false);
    expect(await runOnCore(core, 'secrets.unprotect', { passphrase: PASSPHRASE })).toMatch(/is stored in clear again/);
    expect(core.api.isRunning).toBe(false);
  });

  it('with no path configured says there is nothing to protect', async () => {
    core.settings.setApi({ ...core.settings.get().api, secretsFilePath: '' });
    expect(await runOnCore(core, 'secrets.status', {})).toBe('No JWT Secret Key File Path specified: there is no secrets file to protect.\n');
  });
});
