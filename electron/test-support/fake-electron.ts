/**
 * A fake of the parts of the `electron` module that main.ts and electron-store use, for running the
 * real main process code in plain Node (the Electron binary cannot be downloaded here). It records
 * what main.ts asks of Electron so tests can check it, and lets tests call IPC handlers as Electron would.
 */
type Listener = (...args: unknown[]) => unknown;

export class FakeWebContents {
  readonly listeners = new Map<string, Listener>();
  readonly sent: unknown[][] = [];
  windowOpenHandler: Listener | null = null;
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  readonly session = {
    setPermissionRequestHandler: (handler: Listener) => void (this.permissionRequestHandler = handler),
    setPermissionCheckHandler: (handler: Listener) => void (this.permissionCheckHandler = handler),
  };

  constructor(readonly id: number) {}

  on(name: string, listener: Listener): this {
    this.listeners.set(name, listener);
    return this;
  }

  setWindowOpenHandler(handler: Listener): void {
    this.windowOpenHandler = handler;
  }

  isDestroyed(): boolean {
    return false;
  }

  send(...args: unknown[]): void {
    this.sent.push(args);
  }
}

export function createFakeElectron(userData: string) {
  let nextId = 1;
  const windows: FakeBrowserWindow[] = [];
  const ipcHandlers = new Map<string, Listener>();
  const appListeners = new Map<string, Listener>();
  let clipboardText = '';
  const exits: number[] = [];

  class FakeBrowserWindow {
    readonly webContents = new FakeWebContents(nextId++);
    loadedFile: string | null = null;
    constructor(readonly options: Record<string, unknown>) {
      windows.push(this);
    }
    static getAllWindows(): FakeBrowserWindow[] {
      return windows;
    }
    on(): this {
      return this;
    }
    once(): this {
      return this;
    }
    loadFile(file: string): Promise<void> {
      this.loadedFile = file;
      return Promise.resolve();
    }
    show(): void {}
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    focus(): void {}
  }

  const app = {
    setName: (_name: string) => undefined,
    setPath: (_name: string, _path: string) => undefined,
    getPath: (_name: string) => userData,
    getVersion: () => '0.1.0',
    requestSingleInstanceLock: () => true,
    on: (name: string, listener: Listener) => void appListeners.set(name, listener),
    whenReady: () => Promise.resolve(),
    quit: () => undefined,
    exit: (code: number) => void exits.push(code),
  };
  const ipcMain = {
    handle: (channel: string, listener: Listener) => void ipcHandlers.set(channel, listener),
    removeHandler: (channel: string) => void ipcHandlers.delete(channel),
    on: () => undefined,
  };
  const clipboard = {
    writeText: (text: string) => void (clipboardText = text),
    readText: () => clipboardText,
    clear: () => void (clipboardText = ''),
  };
  const dialog = { showErrorBox: (_title: string, _message: string) => undefined };
  const electron = { app, BrowserWindow: FakeBrowserWindow, ipcMain, clipboard, dialog };
  return { module: { ...electron, default: electron }, windows, ipcHandlers, appListeners, clipboard, exits };
}
