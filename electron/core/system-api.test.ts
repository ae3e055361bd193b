/**
 * The SystemApi the core hands to the /system dialect: each call goes through the shared operations (audit lines
 * without values), setDefault reaches the network login limiter, and the secrets-file refusals come back as
 * privacyIDEA's ERR707 texts. Real core, real files, real secrets file in a temp directory.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/domain.js';
import { HSM_TEXTS, SystemError, type SystemActor, type SystemApi } from '../api-server/privacyidea/system-api.js';
import { ensureSecretsFile } from '../secrets/secrets-file.js';
import { confBackend, SettingsStore } from '../settings/settings-store.js';
import { CamPanelCore } from './campanel-core.js';
import { createSystemApi, GNUPG_HOME_KEY } from './system-api.js';

const ADMIN: SystemActor = { user: 'alice', role: 'admin', address: '127.0.0.1' };
const SECRET = 'relay-Secret-42';

let dir: string;
let core: CamPanelCore;
let system: SystemApi;
let logLines: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-system-api-'));
  const dataDir = join(dir, 'data');
  const secretsPath = join(dir, 'secrets', 'campanel.secrets');
  expect((await ensureSecretsFile(secretsPath)).ok).toBe(true);
  SettingsStore.open(dataDir, confBackend).setApi({ ...DEFAULT_SETTINGS.api, secretsFilePath: secretsPath });
  logLines = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  core = await CamPanelCore.open({ dataDir, logger: pino({ level: 'info' }, sink) });
  system = createSystemApi(core);
});
afterEach(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

describe('createSystemApi', () => {
  it('stores a password encrypted, reads it back for admins only, and never logs or documents its value', async () => {
    expect(await system.setConfig({ 'relay.password': SECRET, 'relay.password.type': 'password' }, ADMIN)).toEqual({ 'relay.password': 'insert' });
    expect(await system.readConfigKey('relay.password', 'admin')).toBe(SECRET);
    expect(await system.readConfigKey('relay.password', 'user')).toBeNull();
    expect(await readFile(join(core.dataDir, 'system-config.json'), 'utf8')).not.toContain(SECRET);
    const documentation = await system.documentation(ADMIN);
    expect(documentation).toContain('relay.password');
    expect(documentation).toContain('__CENSORED__');
    expect(documentation).not.toContain(SECRET);
    expect(await system.deleteConfig('relay.password', ADMIN)).toBe(true);
    const audit = logLines.join('');
    expect(audit).toContain('"op":"system.config.set"');
    // The key names the entry (the logger would redact a field called "key").
    expect(audit).toContain('"configKey":"relay.password"');
    expect(audit).toContain('"via":"api"');
    expect(audit).not.toContain(SECRET);
  });

  it('setDefault changes the network lock-out at once', async () => {
    // The failure that reaches DefaultMaxFailCount locks: with 1, the first one.
    await system.setDefault({ DefaultMaxFailCount: '1' }, ADMIN);
    for (let i = 0; i < 1; i++) await core.networkLimiter.attempt('bob', '192.0.2.7', () => Promise.resolve(null));
    expect(core.networkLimiter.check('bob', '192.0.2.7').allowed).toBe(false);
    // A bad value changes nothing; a good one (any letter case) applies to the next failures at once.
    await expect(system.setDefault({ DefaultMaxFailCount: '-3' }, ADMIN)).rejects.toBeInstanceOf(SystemError);
    expect(await system.readConfigKey('DefaultMaxFailCount', 'admin')).toBe('1');
    await system.setDefault({ defaultmaxfailcount: '4' }, ADMIN);
    for (let i = 0; i < 3; i++) await core.networkLimiter.attempt('carol', '192.0.2.8', () => Promise.resolve(null));
    expect(core.networkLimiter.check('carol', '192.0.2.8').allowed).toBe(true);
    await core.networkLimiter.attempt('carol', '192.0.2.8', () => Promise.resolve(null));
    expect(core.networkLimiter.check('carol', '192.0.2.8').allowed).toBe(false);
  });

  it("answers privacyIDEA's ERR707 texts for the secrets file's passphrase", async () => {
    expect(system.hsmReady()).toBe(true);
    await expect(system.hsmUnlock('whatever passphrase', ADMIN)).rejects.toMatchObject({ id: 707, message: HSM_TEXTS.alreadySetUp });
  });

  it('lists no GnuPG key when the configured home does not exist, and stops nothing it did not start', async () => {
    await system.setConfig({ [GNUPG_HOME_KEY]: join(dir, 'no-such-gpg-home') }, ADMIN);
    expect(await system.gpgKeys()).toEqual({});
    expect(await system.nodes()).toEqual([core.nodes.self()]);
    expect(await system.radiusNames()).toEqual([]);
    expect(await system.caConnectors()).toEqual([]);
  });
});
