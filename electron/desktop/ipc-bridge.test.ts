import { describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../shared/contract.js';
import { ipcChannel } from '../../shared/ipc-names.js';
import type { HandlerRegistry } from '../registry/handler-registry.js';
import { IpcBridge, type IpcEventLike, type IpcMainLike } from './ipc-bridge.js';

const PAGE = 'campanel://app/index.html';

/** A fake ipcMain that records handlers so the test can call them like Electron would. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcEventLike, payload: unknown) => Promise<unknown>>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { ipcMain, handlers };
}

function setup() {
  const { ipcMain, handlers } = fakeIpcMain();
  const invoke = vi.fn().mockResolvedValue({ ok: true, value: 'ran' });
  const registry = { invoke } as unknown as HandlerRegistry;
  const bridge = new IpcBridge({ ipcMain, registry, pageUrl: PAGE, isOurWindow: (id) => id === 1 });
  const call = (event: IpcEventLike, payload: unknown = {}) => handlers.get(ipcChannel('sessionState'))?.(event, payload);
  return { bridge, handlers, invoke, call };
}

const event = (url: string, parent: unknown = null, id = 1): IpcEventLike => ({ sender: { id }, senderFrame: { url, parent } });

describe('IpcBridge', () => {
  it('registers exactly one handler per contract channel and removes them on dispose', () => {
    const { bridge, handlers } = setup();
    expect([...handlers.keys()].sort()).toEqual(channelNames.map(ipcChannel).sort());
    bridge.dispose();
    expect(handlers.size).toBe(0);
  });

  it('accepts the main frame of our window', async () => {
    const { call, invoke } = setup();
    expect(await call(event(PAGE))).toEqual({ ok: true, value: 'ran' });
    expect(invoke).toHaveBeenCalledWith('sessionState', {}, expect.objectContaining({ transport: 'ipc', address: 'local' }));
  });

  it.each([
    ['a subframe', event(PAGE, { url: PAGE })],
    ['another origin', event('https://evil.example/')],
    ['about:blank', event('about:blank')],
    ['a window we did not create', event(PAGE, null, 99)],
    ['a frame that is gone', { sender: { id: 1 }, senderFrame: null }],
  ])('refuses %s without reaching the registry', async (_what, bad) => {
    const { call, invoke } = setup();
    expect(await call(bad)).toEqual({ ok: false, error: { code: 'forbidden', message: 'Untrusted sender' } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('keeps one session per window and forgets it on reload', async () => {
    const { bridge, call, invoke } = setup();
    await call(event(PAGE));
    const first = invoke.mock.calls[0]?.[2].session;
    first.userName = 'ada';
    await call(event(PAGE));
    expect(invoke.mock.calls[1]?.[2].session).toBe(first);
    bridge.forget(1);
    await call(event(PAGE));
    expect(invoke.mock.calls[2]?.[2].session).toEqual({ userName: null });
  });

  it('tells whether any window is logged in, and forgets a closed window\'s login', async () => {
    const { bridge, call, invoke } = setup();
    const loggedIn = (session: { userName: string | null }) => session.userName !== null;
    expect(bridge.anySession(loggedIn)).toBe(false);
    await call(event(PAGE));
    expect(bridge.anySession(loggedIn)).toBe(false);
    invoke.mock.calls[0]![2].session.userName = 'ada';
    expect(bridge.anySession(loggedIn)).toBe(true);
    bridge.forget(1);
    expect(bridge.anySession(loggedIn)).toBe(false);
  });
});
