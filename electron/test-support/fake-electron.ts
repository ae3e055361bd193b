/**
 * A fake of the parts of the `electron` module that main.ts, electron-store and the desktop launchers
 * (utilityProcess) use, for running the real main process code in plain Node (the Electron binary
 * cannot be downloaded here). It records what main.ts asks of Electron so tests can check it, and lets
 * tests call IPC handlers and protocol handlers as Electron would.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';

type Listener = (...args: unknown[]) => unknown;

export interface FakeUtilityForkOptions {
  /** Electron types it as an empty interface: any object. */
  env?: object;
  stdio?: string | string[];
  serviceName?: string;
  execArgv?: string[];
  cwd?: string;
}

/**
 * A child of the fake `utilityProcess`, shaped like Electron's (lib/browser/api/utility-process.ts):
 * 'spawn', 'message', 'exit' (code only) and 'error' events; stdout/stderr PassThroughs when stdio is
 * 'pipe', dropped with all their listeners right after 'exit'; pid undefined before spawn and after exit;
 * kill() SIGTERMs and answers false once there is nothing to kill. Tests drive it with spawn(),
 * receive() and exit().
 */
export class FakeUtilityProcess extends EventEmitter {
  /** Electron (macOS) property; here only so the fake has the real type's shape. */
  steal = false;
  readonly posted: unknown[] = [];
  /** kill() calls that reached a live process. */
  kills = 0;
  #stdout: PassThrough | null = null;
  #stderr: PassThrough | null = null;
  #pid: number | undefined = undefined;
  #exited = false;

  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: FakeUtilityForkOptions,
    /** Streams appear only at spawn (to exercise code that must cope with null before it). */
    private readonly streamsAtSpawn: boolean,
    /** What kill() does: exit with this code soon, or nothing (a process that ignores SIGTERM). */
    private readonly exitOnKill: number | null,
  ) {
    super();
    if (!streamsAtSpawn) this.#makeStreams();
  }

  get pid(): number | undefined {
    return this.#pid;
  }
  get stdout(): PassThrough | null {
    return this.#stdout;
  }
  get stderr(): PassThrough | null {
    return this.#stderr;
  }

  postMessage(message: unknown, _transfer?: unknown[]): void {
    if (!this.#exited) this.posted.push(message);
  }

  kill(): boolean {
    if (this.#exited || this.#pid === undefined) return false;
    this.kills += 1;
    const code = this.exitOnKill;
    if (code !== null) setImmediate(() => this.exit(code));
    return true;
  }

  spawn(pid = 40_000 + Math.floor(Math.random() * 1000)): void {
    if (this.streamsAtSpawn) this.#makeStreams();
    this.#pid = pid;
    this.emit('spawn');
  }

  receive(message: unknown): void {
    this.emit('message', message);
  }

  exit(code: number): void {
    if (this.#exited) return;
    this.#exited = true;
    try {
      this.emit('exit', code);
    } finally {
      this.#pid = undefined;
      for (const stream of [this.#stdout, this.#stderr]) stream?.removeAllListeners();
      this.#stdout = null;
      this.#stderr = null;
    }
  }

  #makeStreams(): void {
    const pipe = this.options.stdio === 'pipe';
    this.#stdout = pipe ? new PassThrough() : null;
    this.#stderr = pipe ? new PassThrough() : null;
  }
}

export function createFakeUtilityProcess(behaviour: { streamsAtSpawn?: boolean; exitOnKill?: number | null; throwOnFork?: Error } = {}) {
  const children: FakeUtilityProcess[] = [];
  return {
    children,
    fork(modulePath: string, args: string[] = [], options: FakeUtilityForkOptions = {}): FakeUtilityProcess {
      if (behaviour.throwOnFork) throw behaviour.throwOnFork;
      const child = new FakeUtilityProcess(modulePath, args, options, behaviour.streamsAtSpawn ?? false, behaviour.exitOnKill === undefined ? 0 : behaviour.exitOnKill);
      children.push(child);
      return child;
    },
  };
}

/**
 * Electron's `protocol`: records privileged schemes (refused once the app is ready, as Electron requires
 * them before 'ready') and handlers; `fetch()` calls a scheme's handler with a WHATWG Request.
 */
export class FakeProtocol {
  readonly privileged: { scheme: string; privileges: Record<string, boolean> }[] = [];
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  ready = false;

  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void {
    if (this.ready) throw new Error('registerSchemesAsPrivileged must be called before app is ready');
    this.privileged.push(...schemes);
  }

  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    if (this.handlers.has(scheme)) throw new Error(`scheme ${scheme} is already handled`);
    this.handlers.set(scheme, handler);
  }

  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }

  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }

  /** What the page's fetch (or <video>, <img>) of `url` gets. */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    const scheme = url.slice(0, url.indexOf(':'));
    const handler = this.handlers.get(scheme);
    if (!handler) throw new Error(`no handler for ${scheme}:`);
    return handler(new Request(url, init));
  }
}

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
    loadedUrl: string | null = null;
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
    loadURL(url: string): Promise<void> {
      this.loadedUrl = url;
      return Promise.resolve();
    }
    show(): void {}
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    focus(): void {}
  }

  const protocol = new FakeProtocol();
  const app = {
    setName: (_name: string) => undefined,
    setPath: (_name: string, _path: string) => undefined,
    getPath: (_name: string) => userData,
    getVersion: () => '0.1.0',
    requestSingleInstanceLock: () => true,
    on: (name: string, listener: Listener) => void appListeners.set(name, listener),
    whenReady: () => {
      protocol.ready = true;
      return Promise.resolve();
    },
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
  const utilityProcess = createFakeUtilityProcess();
  const electron = { app, BrowserWindow: FakeBrowserWindow, ipcMain, clipboard, dialog, utilityProcess, protocol };
  return { module: { ...electron, default: electron }, windows, ipcHandlers, appListeners, clipboard, exits, utilityProcess, protocol };
}
