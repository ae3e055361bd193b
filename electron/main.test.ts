/**
 * The real electron/main.ts, run in plain Node against a fake `electron` module: the window's
 * security settings, the IPC wiring with sender checks, electron-store settings, the clipboard.
 * (The real Electron app is covered by e2e/electron.spec.ts where a binary exists.)
 */
import { mkdtempSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelNames } from '../shared/contract.js';
import { ipcChannel } from '../shared/ipc-names.js';
import { preloadPath } from './app-paths.js';
import { APP_PAGE_URL } from './desktop/app-protocol.js';
import { createFakeElectron } from './test-support/fake-electron.js';

const fake = vi.hoisted(() => ({ current: null as ReturnType<typeof createFakeElectron> | null, dir: '' }));

vi.mock('electron', async () => {
  const { mkdtempSync: mk } = await import('node:fs');
  const { tmpdir: tmp } = await import('node:os');
  const { join: j } = await import('node:path');
  const { createFakeElectron: create } = await import('./test-support/fake-electron.js');
  fake.dir = mk(j(tmp(), 'campanel-main-'));
  fake.current = create(fake.dir);
  return fake.current.module;
});

const electron = () => {
  if (!fake.current) throw new Error('fake electron not loaded');
  return fake.current;
};

let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'campanel-main-data-'));
  process.env.CAMPANEL_DATA_DIR = dataDir;
  await import('./main.js');
  await vi.waitFor(() => expect(electron().windows).toHaveLength(1), { timeout: 10_000 });
});

afterAll(async () => {
  const quit = electron().appListeners.get('before-quit');
  quit?.({ preventDefault: () => undefined });
  await vi.waitFor(() => expect(electron().exits).toEqual([0]), { timeout: 10_000 });
  delete process.env.CAMPANEL_DATA_DIR;
  await rm(dataDir, { recursive: true, force: true });
  await rm(fake.dir, { recursive: true, force: true });
});

const pageUrl = () => APP_PAGE_URL;
const trusted = () => ({ sender: { id: electron().windows[0]?.webContents.id ?? -1 }, senderFrame: { url: pageUrl(), parent: null } });
const call = (channel: string, payload: unknown, event: object = trusted()) => {
  const handler = electron().ipcHandlers.get(ipcChannel(channel));
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler(event, payload) as Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
};

describe('electron/main.ts', () => {
  it('opens one locked-down window on the built panel with the preload', () => {
    const window = electron().windows[0];
    const prefs = window?.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(prefs.preload).toBe(preloadPath());
    expect(window?.options).toMatchObject({ resizable: true });
    expect(Number(window?.options.minWidth)).toBeLessThanOrEqual(800);
    expect(Number(window?.options.minHeight)).toBeLessThanOrEqual(480);
    expect(window?.loadedUrl).toBe('campanel://app/index.html');
    expect(window?.loadedFile).toBeNull(); // never file:// (Electron's security checklist)
  });

  it('serves the page from campanel:// and media only to a logged-in window', async () => {
    const { protocol } = electron();
    expect(protocol.privileged.map((scheme) => scheme.scheme)).toEqual(['campanel']);
    const page = await protocol.fetch('campanel://app/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("media-src 'self'");
    expect((await protocol.fetch('campanel://app/media/preview/0')).status).toBe(401);
  });

  it('denies navigation, new windows and permissions on the window', () => {
    const contents = electron().windows[0]?.webContents;
    const event = { preventDefault: vi.fn() };
    contents?.listeners.get('will-navigate')?.(event, 'https://evil.example/');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(contents?.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const granted = vi.fn();
    contents?.permissionRequestHandler?.(null, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
  });

  it('handles every contract channel and nothing else', () => {
    expect([...electron().ipcHandlers.keys()].sort()).toEqual(channelNames.map(ipcChannel).sort());
  });

  it('answers the main frame of its window and refuses a subframe or another page', async () => {
    expect(await call('sessionState', {})).toEqual({ ok: true, value: { phase: 'firstRun', user: null } });
    const subframe = { ...trusted(), senderFrame: { url: pageUrl(), parent: {} } };
    expect((await call('sessionState', {}, subframe)).error?.code).toBe('forbidden');
    const other = { ...trusted(), senderFrame: { url: 'https://evil.example/', parent: null } };
    expect((await call('sessionState', {}, other)).error?.code).toBe('forbidden');
  });

  it('stores settings through electron-store in the data directory, at 0600', async () => {
    expect((await call('createAdmin', { name: 'ada', password: 'ada-password-1' })).ok).toBe(true);
    expect((await call('setGeneralSettings', { allowApi: true })).ok).toBe(true);
    const file = join(dataDir, 'settings.json');
    expect(JSON.parse(await readFile(file, 'utf8')).general.allowApi).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('serves media once the window is logged in (createAdmin above logged it in)', async () => {
    const missing = await electron().protocol.fetch('campanel://app/media/captures/camera_0/none.jpg');
    expect(missing.status).toBe(404);
    const traversal = await electron().protocol.fetch('campanel://app/media/captures/camera_0%2f..%2f..%2fsettings.json');
    expect(traversal.status).toBe(400);
  });

  it('copies a secret with Electron\'s clipboard', async () => {
    expect((await call('copySecret', { text: 'one-time-token' })).ok).toBe(true);
    expect(electron().clipboard.readText()).toBe('one-time-token');
  });
});
