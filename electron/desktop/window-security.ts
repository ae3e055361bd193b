/**
 * Lock-down of every window: fixed webPreferences, no navigation, no redirects, no new windows,
 * no webviews, every permission request denied.
 */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of WebContents the lock-down needs. */
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  session: {
    setPermissionRequestHandler(handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
    setPermissionCheckHandler(handler: () => boolean): void;
  };
}

export function lockDown(contents: WebContentsLike, onRefused: (what: string, url?: string) => void = () => {}): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    onRefused('navigation', url);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    onRefused('redirect', url);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onRefused('webview');
  });
  contents.setWindowOpenHandler(({ url }) => {
    onRefused('new window', url);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_wc, permission, callback) => {
    onRefused(`permission ${permission}`);
    callback(false);
  });
  contents.session.setPermissionCheckHandler(() => false);
}
