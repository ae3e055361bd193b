/**
 * Wires the contract's channels to ipcMain.handle. Every call's sender frame is checked before
 * the registry sees the payload; each window has its own login.
 * Typed against the small parts of Electron it uses, so tests can pass fakes.
 */
import { channelNames } from '../../shared/contract.js';
import { EVENT_CHANNEL, ipcChannel } from '../../shared/ipc-names.js';
import type { PanelEvent, Result } from '../../shared/contract.js';
import type { HandlerRegistry, PanelSession } from '../registry/handler-registry.js';
import { isTrustedSender, type SenderFrame } from '../registry/sender-check.js';

export interface IpcEventLike {
  sender: { id: number };
  senderFrame: SenderFrame | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, payload: unknown) => Promise<Result<unknown>>): void;
  removeHandler(channel: string): void;
}

export interface BridgeOptions {
  ipcMain: IpcMainLike;
  registry: HandlerRegistry;
  /** The URL of the panel page our windows load (campanel://app/index.html). */
  pageUrl: string;
  /** Whether a webContents id belongs to a window the app created. */
  isOurWindow: (webContentsId: number) => boolean;
}

export class IpcBridge {
  private readonly sessions = new Map<number, PanelSession>();

  constructor(private readonly options: BridgeOptions) {
    for (const name of channelNames) {
      options.ipcMain.handle(ipcChannel(name), (event, payload) => this.dispatch(name, event, payload));
    }
  }

  private async dispatch(name: string, event: IpcEventLike, payload: unknown): Promise<Result<unknown>> {
    const { registry, pageUrl, isOurWindow } = this.options;
    if (!isTrustedSender(event.senderFrame, isOurWindow(event.sender.id), pageUrl)) {
      return { ok: false, error: { code: 'forbidden', message: 'Untrusted sender' } };
    }
    let session = this.sessions.get(event.sender.id);
    if (!session) {
      session = { userName: null };
      this.sessions.set(event.sender.id, session);
    }
    return registry.invoke(name, payload, { session, transport: 'ipc', address: 'local' });
  }

  /** Whether any window's session passes `test` (the media protocol asks: is some window logged in?). */
  anySession(test: (session: PanelSession) => boolean): boolean {
    for (const session of this.sessions.values()) if (test(session)) return true;
    return false;
  }

  /** A closed or reloaded window starts logged out. */
  forget(webContentsId: number): void {
    this.sessions.delete(webContentsId);
  }

  dispose(): void {
    for (const name of channelNames) this.options.ipcMain.removeHandler(ipcChannel(name));
  }
}

export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, payload: PanelEvent): void;
}

export const forwardEvent = (target: EventTarget, event: PanelEvent): void => {
  if (!target.isDestroyed()) target.send(EVENT_CHANNEL, event);
};
