/**
 * Import reads like the panel, not like a validator: every problem in plain words, and what would change
 * before anything does. Real core on a temp data directory, real secrets files.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/domain.js';
import { CamPanelCore } from '../core/campanel-core.js';
import { CLI_ACTOR } from './actor.js';
import { checkImport, exportConfig, importConfig, storeApiSettings } from './settings.js';

let dir: string;
let core: CamPanelCore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-import-'));
  core = await CamPanelCore.open({ dataDir: join(dir, 'data'), logger: pino({ level: 'silent' }) });
});

afterEach(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

const file = (settings: unknown) => JSON.stringify({ format: 'campanel-configuration', version: 1, settings });

describe('checkImport', () => {
  it('lists every problem of the settings in the panel\'s words', async () => {
    const settings = {
      general: { allowApi: 'yes', extra: 1 },
      api: { ...DEFAULT_SETTINGS.api, accessTokenMinutes: -1, port: 70000, host: undefined },
      camera: { ...DEFAULT_SETTINGS.camera, photoType: 'gif' },
    };
    const { problems, changes } = await checkImport(core, file(settings));
    expect(problems).toEqual([
      'Allow access through API must be true or false',
      '"general.extra" is not a CamPanel setting',
      'Access Token Expiration in Minutes: Must be 0 or more',
      'API host is missing',
      'API port: Port must be 1 to 65535',
      'Photo type must be one of jpg, png',
    ]);
    expect(changes).toEqual([]);
    for (const problem of problems) expect(problem).not.toMatch(/Invalid input|expected|received/);
  });

  it('says in one line that a foreign file, JSON or not, is not a configuration', async () => {
    expect((await checkImport(core, '{oops')).problems).toEqual(['This file is not JSON; choose a file made by "Export configuration".']);
    expect((await checkImport(core, '{"hello":"world"}')).problems).toEqual([
      'This is not a CamPanel configuration (it was not made by "Export configuration").',
    ]);
    expect((await checkImport(core, JSON.stringify({ format: 'campanel-configuration', version: 2, settings: {} }))).problems).toEqual([
      'This configuration was made by another CamPanel version, which this one cannot read.',
    ]);
  });

  it('lists what would change, and announces a new key without creating it', async () => {
    const secrets = join(dir, 'keys', 'campanel.secrets');
    const next: Settings = {
      ...DEFAULT_SETTINGS,
      general: { allowApi: true },
      api: { ...DEFAULT_SETTINGS.api, secretsFilePath: secrets, port: 5001 },
    };
    const { problems, changes } = await checkImport(core, file(next));
    expect(problems).toEqual([]);
    expect(changes).toEqual([
      'Allow access through API: no → yes',
      `JWT Secret Key File Path: (blank) → ${secrets}`,
      'API port: 5000 → 5001',
      `A new JWT key will be written to ${secrets}`,
    ]);
    expect(existsSync(secrets)).toBe(false);
  });

  it('refuses a system location and a stored file that has vanished', async () => {
    const etc = await checkImport(core, file({ ...DEFAULT_SETTINGS, api: { ...DEFAULT_SETTINGS.api, secretsFilePath: '/etc/passwd' } }));
    expect(etc.problems).toEqual([expect.stringContaining('/etc/passwd is in /etc, a system location')]);

    const secrets = join(dir, 'keys', 'campanel.secrets');
    await storeApiSettings(core, { ...DEFAULT_SETTINGS.api, secretsFilePath: secrets }, CLI_ACTOR);
    const { json } = exportConfig(core, CLI_ACTOR);
    await rm(secrets);
    expect((await checkImport(core, json)).problems).toEqual([expect.stringContaining(`secrets file missing: ${secrets}`)]);
    await expect(importConfig(core, json, CLI_ACTOR)).rejects.toThrow(`secrets file missing: ${secrets}`);
    expect(existsSync(secrets)).toBe(false);
  });
});

describe('importConfig', () => {
  it('refuses with every problem as its own entry and changes nothing', async () => {
    const before = core.settings.get();
    const settings = { ...DEFAULT_SETTINGS, api: { ...DEFAULT_SETTINGS.api, accessTokenMinutes: -1, refreshTokenDays: 'x' } };
    const refused = importConfig(core, file(settings), CLI_ACTOR);
    await expect(refused).rejects.toMatchObject({
      message: 'The file has 2 problems; nothing was imported.',
      fields: {
        problem1: 'Access Token Expiration in Minutes: Must be 0 or more',
        problem2: 'Refresh Token Expiration in Days must be a number',
      },
    });
    expect(core.settings.get()).toEqual(before);
  });
});
