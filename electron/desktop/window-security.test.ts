import { describe, expect, it, vi } from 'vitest';
import { SECURE_WEB_PREFERENCES, lockDown, type WebContentsLike } from './window-security.js';
import { copySecret, CLIPBOARD_CLEAR_MS } from './clipboard-secret.js';

function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  let permissionHandler: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  let checkHandler: (() => boolean) | null = null;
  const contents: WebContentsLike = {
    on: ((name: string, listener: (event: { preventDefault(): void }, url?: string) => void) => {
      listeners.set(name, listener);
    }) as WebContentsLike['on'],
    setWindowOpenHandler: (handler) => void (openHandler = handler),
    session: {
      setPermissionRequestHandler: (handler) => void (permissionHandler = handler),
      setPermissionCheckHandler: (handler) => void (checkHandler = handler),
    },
  };
  return { contents, listeners, open: () => openHandler, permission: () => permissionHandler, check: () => checkHandler };
}

describe('window lock-down', () => {
  it('sets every security preference explicitly', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
  });

  it.each(['will-navigate', 'will-redirect', 'will-attach-webview'])('prevents %s', (name) => {
    const fake = fakeContents();
    const refused = vi.fn();
    lockDown(fake.contents, refused);
    const event = { preventDefault: vi.fn() };
    fake.listeners.get(name)?.(event, 'https://evil.example/');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(refused).toHaveBeenCalled();
  });

  it('denies new windows and every permission', () => {
    const fake = fakeContents();
    lockDown(fake.contents);
    expect(fake.open()?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const callback = vi.fn();
    fake.permission()?.(null, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(fake.check()?.()).toBe(false);
  });
});

describe('copySecret', () => {
  const clipboard = () => {
    let text = '';
    return { writeText: (t: string) => void (text = t), readText: () => text, clear: vi.fn(() => void (text = '')) };
  };

  it('clears the clipboard after 60 s when it still holds the secret', () => {
    const board = clipboard();
    let later: (() => void) | null = null;
    copySecret(board, 'secret-token', (run, ms) => {
      expect(ms).toBe(CLIPBOARD_CLEAR_MS);
      later = run;
    });
    expect(board.readText()).toBe('secret-token');
    (later as unknown as () => void)();
    expect(board.clear).toHaveBeenCalled();
    expect(board.readText()).toBe('');
  });

  it('leaves the clipboard alone when the user copied something else', () => {
    const board = clipboard();
    let later: (() => void) | null = null;
    copySecret(board, 'secret-token', (run) => void (later = run));
    board.writeText('something else');
    (later as unknown as () => void)();
    expect(board.clear).not.toHaveBeenCalled();
    expect(board.readText()).toBe('something else');
  });
});
