/**
 * Electron's main process: windows, the IPC bridge, the `campanel://` protocol the page comes from, and the
 * Electron-only parts (electron-store, clipboard). Everything else is the same core `campanel serve` runs.
 */
import { BrowserWindow, app, clipboard, dialog, ipcMain, protocol, utilityProcess } from 'electron';
import { preloadPath, rendererDir, workerPath } from './app-paths.js';
import { startControlServer, type ControlServer } from './control/control-socket.js';
import { CamPanelCore } from './core/campanel-core.js';
import { acquireLock, resolveDataDir, type InstanceLock } from './data-dir/data-dir.js';
import { APP_PAGE_URL, handleAppProtocol, registerAppScheme } from './desktop/app-protocol.js';
import { copySecret } from './desktop/clipboard-secret.js';
import { IpcBridge, forwardEvent } from './desktop/ipc-bridge.js';
import { utilityLauncher } from './desktop/utility-launcher.js';
import { SECURE_WEB_PREFERENCES, lockDown } from './desktop/window-security.js';
import { createHandlers } from './handlers/index.js';
import { closeLogger, createLogger, type Logger } from './logging/logger.js';
import { mediaRefusal } from './media/media-access.js';
import { MediaHandler } from './media/media-handler.js';
import { HandlerRegistry } from './registry/handler-registry.js';
import { electronStoreBackend } from './desktop/electron-store-backend.js';
import type { PanelEvent } from '../shared/contract.js';

const dataDirFlag = (() => {
  const index = process.argv.indexOf('--data-dir');
  return index > 0 ? process.argv[index + 1] : undefined;
})();

app.setName('CamPanel');
registerAppScheme(protocol); // before 'ready', as Electron requires
const dataDir = resolveDataDir(dataDirFlag);
app.setPath('userData', dataDir);

const windows = new Set<number>();
let core: CamPanelCore | null = null;
let logger: Logger | null = null;
let lock: InstanceLock | null = null;
let bridge: IpcBridge | null = null;
let control: ControlServer | null = null;
let media: MediaHandler | null = null;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1180,
    height: 800,
    minWidth: 640,
    minHeight: 420,
    resizable: true,
    title: 'CamPanel',
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath() },
  });
  const id = window.webContents.id;
  windows.add(id);
  lockDown(window.webContents, (what, url) => logger?.warn({ what, url }, 'refused'));
  window.webContents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) bridge?.forget(id); // a reload logs out
  });
  window.on('closed', () => {
    windows.delete(id);
    bridge?.forget(id);
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_PAGE_URL);
  return window;
}

async function start(): Promise<void> {
  lock = acquireLock(dataDir, { mode: 'desktop' });
  logger = createLogger({ dataDir, stdout: false });
  core = await CamPanelCore.open({
    dataDir,
    logger,
    settingsBackend: electronStoreBackend,
    // In Electron the worker is a utilityProcess: child_process.fork would start another Electron app.
    workerLauncher: utilityLauncher(utilityProcess, workerPath()),
  });
  const opened = core;
  const handlers = createHandlers(opened, { copySecret: (text) => copySecret(clipboard, text) });
  const lookupUser = (name: string) => opened.users.get(name);
  const registry = new HandlerRegistry(handlers, lookupUser, logger);
  const ipc = new IpcBridge({
    ipcMain,
    registry,
    pageUrl: APP_PAGE_URL,
    isOurWindow: (id) => windows.has(id),
  });
  bridge = ipc;
  media = new MediaHandler(opened.captures, opened.camera, logger);
  handleAppProtocol(protocol, {
    rendererDir: rendererDir(),
    media,
    isLoggedIn: () => ipc.anySession((session) => mediaRefusal(session, lookupUser) === null),
  });
  opened.events.on('event', (event: PanelEvent) => {
    for (const window of BrowserWindow.getAllWindows()) forwardEvent(window.webContents, event);
  });
  await opened.startCamera();
  await opened.api.startIfValid();
  control = await startControlServer(opened);
  createWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      dialog.showErrorBox('CamPanel cannot start', message);
      app.exit(1);
    });
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void (async () => {
      // The pages say "closing" at once instead of waiting for silence.
      for (const window of BrowserWindow.getAllWindows()) forwardEvent(window.webContents, { topic: 'closing' });
      media?.close();
      bridge?.dispose();
      await control?.close();
      await core?.close();
      if (logger) await closeLogger(logger);
      lock?.release();
      app.exit(0);
    })();
  });
}
