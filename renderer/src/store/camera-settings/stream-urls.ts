/**
 * The stream and snapshot URLs a client should use (docs/compatibility.md §5.1, §5.4): served on the API's
 * port, open or with credentials depending on "Require authentication for streaming". Pure, unit-tested.
 */
import type { ApiSettings, ApiStatusView } from '../../../../shared/domain';

/** Shown in place of a token value: the panel never has it (it is shown once, when generated). */
export const TOKEN_PLACEHOLDER = '<paste the token>';

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** localhost, 127.x.x.x and ::1, with or without brackets. */
export const isLoopback = (host: string): boolean =>
  host === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::1' || host === '[::1]';

const urlHost = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** Where the panel page itself was loaded from (window.location), when it is an http(s) page. */
export interface PageLocation {
  protocol: string;
  hostname: string;
}

export type StreamBase =
  | { state: 'loading' }
  | { state: 'notRunning'; port: number }
  | {
      state: 'running';
      /** http://host:port */
      origin: string;
      /** Other machines must use another address (the page was opened on this machine). */
      otherMachines: 'useMachineAddress' | 'unreachable' | null;
      /** Addresses the running API reported (LAN addresses included), for the note about other machines. */
      lanOrigins: string[];
      /** Stored host or port differ from the running API's until Restart API. */
      restartPending: boolean;
    };

/**
 * The base of every stream URL. A wildcard listener (0.0.0.0, as raspiCamSrv) answers on every address:
 * the page's own host name when the panel was opened from another machine, else loopback, with a note that
 * other machines use this machine's address.
 */
export function streamBase(api: ApiSettings | null, status: ApiStatusView | null, page: PageLocation | null): StreamBase {
  if (!api || !status) return { state: 'loading' };
  if (!status.running) return { state: 'notRunning', port: api.port };
  const restartPending = status.banner?.restartButton ?? false;
  const lanOrigins = (status.banner?.urls ?? [])
    .map((url) => {
      try {
        return new URL(url);
      } catch {
        return null;
      }
    })
    .filter((url): url is URL => url !== null && !isLoopback(url.hostname))
    .map((url) => url.origin);
  const pageHost = page && /^https?:$/.test(page.protocol) && page.hostname !== '' ? page.hostname : null;
  let host: string;
  let otherMachines: 'useMachineAddress' | 'unreachable' | null = null;
  if (WILDCARDS.has(api.host)) {
    if (pageHost && !isLoopback(pageHost)) host = pageHost;
    else {
      host = '127.0.0.1';
      otherMachines = 'useMachineAddress';
    }
  } else {
    host = api.host;
    if (isLoopback(api.host)) otherMachines = 'unreachable';
  }
  return { state: 'running', origin: `http://${urlHost(host)}:${api.port}`, otherMachines, lanOrigins, restartPending };
}

/** How clients authenticate: open streams, or a `?token=` (its value only if the user pasted it here). */
export type StreamAuth = { mode: 'open' } | { mode: 'token'; token: string | null } | { mode: 'credentials' };

export interface StreamUrl {
  id: string;
  label: string;
  url: string;
}

function withAuth(path: string, auth: StreamAuth): string {
  if (auth.mode !== 'token') return path;
  const value = auth.token && auth.token.trim() !== '' ? encodeURIComponent(auth.token.trim()) : TOKEN_PLACEHOLDER;
  return `${path}${path.includes('?') ? '&' : '?'}token=${value}`;
}

/**
 * raspiCamSrv's active and second camera URLs, and every camera's by number. The second camera is the
 * next configured camera after the active one (as the API server picks it).
 */
export function streamUrls(origin: string, cameraCount: number, activeCamera: number, auth: StreamAuth): StreamUrl[] {
  if (cameraCount === 0) return [];
  const active = activeCamera < cameraCount ? activeCamera : 0;
  const entry = (id: string, label: string, path: string): StreamUrl => ({ id, label, url: `${origin}${withAuth(path, auth)}` });
  const urls = [
    entry('video_feed', `Active camera (Camera ${active}) stream`, '/video_feed'),
    entry('photo_feed', `Active camera (Camera ${active}) snapshot`, '/photo_feed'),
  ];
  if (cameraCount >= 2) {
    const second = (active + 1) % cameraCount;
    urls.push(
      entry('video_feed2', `Second camera (Camera ${second}) stream`, '/video_feed2'),
      entry('photo_feed2', `Second camera (Camera ${second}) snapshot`, '/photo_feed2'),
    );
  }
  for (let num = 0; num < cameraCount; num += 1) {
    urls.push(
      entry(`stream-${num}`, `Camera ${num} stream`, `/api/stream?camera=${num}`),
      entry(`snapshot-${num}`, `Camera ${num} snapshot`, `/api/snapshot?camera=${num}`),
    );
  }
  return urls;
}

/** HTTP Basic in the URL, as Home Assistant's MJPEG camera takes it: http://user:<password>@host:port/video_feed. */
export function basicAuthExample(origin: string, user: string | null): string {
  const name = user ? encodeURIComponent(user) : '<user>';
  return origin.replace(/^http:\/\//, `http://${name}:<password>@`) + '/video_feed';
}
