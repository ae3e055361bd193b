import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/domain.js';
import { DomainError } from '../core/errors.js';
import { SettingsStore, type SettingsBackendFactory } from './settings-store.js';

let dataDir: string;
let file: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'campanel-settings-'));
  file = join(dataDir, 'settings.json');
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const backups = async (): Promise<string[]> => (await readdir(dataDir)).filter((name) => name.startsWith('settings.json.bak-'));
const onDisk = async (): Promise<unknown> => JSON.parse(await readFile(file, 'utf8'));

const VALID: Settings = {
  general: { allowApi: true },
  api: { secretsFilePath: '~/.secrets/campanel.secrets', accessTokenMinutes: 15, refreshTokenDays: 30, host: '127.0.0.1', port: 5001 },
  camera: {
    ...DEFAULT_SETTINGS.camera,
    cameras: [{ backend: 'testsrc', device: 'smptebars', width: 640, height: 480, fps: 15, jpegQuality: 70 }],
    idleTimeoutSeconds: 0,
  },
  notifications: { host: 'mail.example.org', port: 465, tls: 'tls', user: 'camera', sender: 'camera@example.org', recipient: 'me@example.org' },
};

function thrown(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('reading', () => {
  it('gives the defaults, without warnings or writing, when there is no file', async () => {
    const store = SettingsStore.open(dataDir);
    expect(store.view()).toEqual({ settings: DEFAULT_SETTINGS, warnings: [], backupPath: null });
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('keeps what was saved across reopening, in a 0600 file', async () => {
    const store = SettingsStore.open(dataDir);
    expect(store.setGeneral({ allowApi: true }).general.allowApi).toBe(true);
    store.setApi(VALID.api);
    store.setCamera(VALID.camera);
    store.setNotifications(VALID.notifications);
    expect(SettingsStore.open(dataDir).view()).toEqual({ settings: VALID, warnings: [], backupPath: null });
    expect(await onDisk()).toEqual(VALID);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('loads a valid file without backing it up or rewriting it', async () => {
    const text = JSON.stringify(VALID);
    await writeFile(file, text);
    expect(SettingsStore.open(dataDir).get()).toEqual(VALID);
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(await backups()).toEqual([]);
  });

  it('fills fields missing from an older file with their defaults, silently', async () => {
    await writeFile(file, JSON.stringify({ general: { allowApi: true } }));
    expect(SettingsStore.open(dataDir).view()).toEqual({
      settings: { general: { allowApi: true }, api: DEFAULT_SETTINGS.api, camera: DEFAULT_SETTINGS.camera, notifications: DEFAULT_SETTINGS.notifications },
      warnings: [],
      backupPath: null,
    });
  });

  it('falls back to all defaults for a file that is not JSON, keeping the original as a backup', async () => {
    const garbage = '{"general": {"allowApi": tru';
    await writeFile(file, garbage);
    const view = SettingsStore.open(dataDir).view();
    expect(view.settings).toEqual(DEFAULT_SETTINGS);
    expect(view.warnings).toHaveLength(1);
    expect(view.warnings[0]).toMatch(/^settings\.json could not be read \(.+\); using defaults$/);
    expect(view.backupPath).toMatch(/settings\.json\.bak-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
    expect(await readFile(view.backupPath ?? '', 'utf8')).toBe(garbage);
    expect(await onDisk()).toEqual(DEFAULT_SETTINGS);
    // Repaired once: the next start is clean.
    expect(SettingsStore.open(dataDir).view().warnings).toEqual([]);
    expect(await backups()).toHaveLength(1);
  });

  it('treats JSON that is not an object like a corrupt file', async () => {
    await writeFile(file, '[1, 2]');
    const view = SettingsStore.open(dataDir).view();
    expect(view.settings).toEqual(DEFAULT_SETTINGS);
    expect(view.warnings).toEqual(['settings.json did not hold a settings object; using defaults']);
    expect(await readFile(view.backupPath ?? '', 'utf8')).toBe('[1, 2]');
  });

  it('resets only the broken fields, names them, and backs up the original', async () => {
    const original = JSON.stringify({
      general: { allowApi: 'yes' },
      api: { ...VALID.api, port: 'abc', accessTokenMinutes: -5 },
    });
    await writeFile(file, original);
    const view = SettingsStore.open(dataDir).view();
    expect(view.settings).toEqual({
      general: { allowApi: false },
      api: { ...VALID.api, port: 5000, accessTokenMinutes: 60 },
      camera: DEFAULT_SETTINGS.camera,
      notifications: DEFAULT_SETTINGS.notifications,
    });
    expect(view.warnings).toEqual([
      'general.allowApi was not valid ("yes"); using the default false',
      'api.accessTokenMinutes was not valid (-5); using the default 60',
      'api.port was not valid ("abc"); using the default 5000',
    ]);
    expect(await readFile(view.backupPath ?? '', 'utf8')).toBe(original);
    expect(await onDisk()).toEqual(view.settings);
  });

  it('drops unknown keys with a warning', async () => {
    await writeFile(file, JSON.stringify({ ...VALID, theme: 'dark', api: { ...VALID.api, debug: true } }));
    const view = SettingsStore.open(dataDir).view();
    expect(view.settings).toEqual(VALID);
    expect(view.warnings).toEqual(['Unknown setting api.debug was dropped', 'Unknown setting theme was dropped']);
    expect(view.backupPath).not.toBeNull();
    expect(await onDisk()).toEqual(VALID);
  });

  it('replaces a section that is not an object by its defaults', async () => {
    await writeFile(file, JSON.stringify({ general: VALID.general, api: 5 }));
    const view = SettingsStore.open(dataDir).view();
    expect(view.settings).toEqual({ general: VALID.general, api: DEFAULT_SETTINGS.api, camera: DEFAULT_SETTINGS.camera, notifications: DEFAULT_SETTINGS.notifications });
    expect(view.warnings).toEqual(['api was not valid (5); using the defaults']);
  });

  it('does not crash on an unreadable settings path, and never overwrites it', async () => {
    await import('node:fs/promises').then((fs) => fs.mkdir(file)); // a directory where the file should be
    const store = SettingsStore.open(dataDir);
    expect(store.view().settings).toEqual(DEFAULT_SETTINGS);
    expect(store.view().warnings[0]).toMatch(/^settings\.json could not be read \(EISDIR\); using defaults$/);
    expect(thrown(() => store.setGeneral({ allowApi: true })).code).toBe('conflict');
  });
});

describe('writing', () => {
  it('refuses a bad API value with errors per form field, and writes nothing', async () => {
    const store = SettingsStore.open(dataDir);
    store.replace(VALID);
    const before = await readFile(file, 'utf8');
    const error = thrown(() => store.setApi({ ...VALID.api, port: 70000, accessTokenMinutes: 1.5 }));
    expect(error.code).toBe('invalid');
    expect(error.fields).toEqual({ port: 'Port must be 1 to 65535', accessTokenMinutes: 'Enter a whole number' });
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(store.get()).toEqual(VALID);
  });

  it('refuses unknown keys and wrong types on replace', () => {
    const store = SettingsStore.open(dataDir);
    const extra = { ...VALID, general: { allowApi: true, extra: 1 } };
    expect(thrown(() => store.replace(extra)).fields).toEqual({ extra: 'Unknown setting' });
    const wrongType = JSON.parse('{"general":{"allowApi":"yes"},"api":{}}') as Settings;
    expect(thrown(() => store.replace(wrongType)).code).toBe('invalid');
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('replaces everything at once, and tells listeners after each write', () => {
    const store = SettingsStore.open(dataDir);
    let calls = 0;
    const unsubscribe = store.onChange(() => calls++);
    expect(store.replace(VALID)).toEqual(VALID);
    expect(() => store.setGeneral({ allowApi: 'no' as unknown as boolean })).toThrow(DomainError);
    expect(calls).toBe(1);
    unsubscribe();
    store.setGeneral({ allowApi: false });
    expect(calls).toBe(1);
  });

  it('does not let callers change the stored settings through a returned object', () => {
    const store = SettingsStore.open(dataDir);
    store.get().api.port = 1;
    expect(store.get().api.port).toBe(5000);
  });

  it('refuses a backend that writes somewhere else', () => {
    const elsewhere: SettingsBackendFactory = () => ({ store: {}, path: join(dataDir, 'config.json') });
    expect(() => SettingsStore.open(dataDir, elsewhere).setGeneral({ allowApi: true })).toThrow(/config\.json/);
  });
});
