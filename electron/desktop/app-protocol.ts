/**
 * The desktop window's page comes from `campanel://app/` rather than file:// (Electron's security checklist:
 * a file:// page may read any file:// URL, and every file:// page shares one origin). The handler serves
 * index.html, the built assets (inside the renderer folder only) and the page's media through the same
 * MediaHandler as the headless panel; the preview is a pull-based stream, so no network port is opened
 * for the page. Typed against the small part of Electron's `protocol` it uses, so tests pass a fake.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, relative, isAbsolute, sep } from 'node:path';
import { Readable } from 'node:stream';
import { createReadStream } from 'node:fs';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { jsonError } from '../media/file-response.js';
import { toMediaRequest, type MediaHandler } from '../media/media-handler.js';
import { PANEL_CSP } from '../panel-server/panel-csp.js';

export const APP_SCHEME = 'campanel';
export const APP_HOST = 'app';
/** The page every window loads; sender-check accepts exactly this page. */
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export interface ProtocolLike {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/**
 * Call before `app` is ready. standard: relative URLs and an origin of its own; secure: as https for the
 * page; supportFetchAPI: the page fetches its media; stream: <video> reads files in ranges.
 */
export function registerAppScheme(protocol: Pick<ProtocolLike, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
}

export interface AppProtocolOptions {
  rendererDir: string;
  media: MediaHandler;
  /**
   * Whether some window is logged in. A protocol handler is not told which window asked, so media are
   * served while any window of ours is logged in. Only our windows can reach the scheme (navigation and new
   * windows are denied, and no other page is ever loaded), so this admits nothing the logged-in window
   * could not fetch itself; a window that logs out while another stays logged in is the one gap.
   */
  isLoggedIn: () => boolean;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

const PAGE_HEADERS = { 'Content-Security-Policy': PANEL_CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' } as const;

const withCsp = (response: Response): Response => {
  response.headers.set('Content-Security-Policy', PANEL_CSP);
  return response;
};

/** An asset path inside `<rendererDir>/assets`, or null: decoded once, no dot segments, no separators of another kind. */
async function assetFile(rendererDir: string, encoded: string): Promise<string | null> {
  let name: string;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    return null;
  }
  if (name === '' || name.length > 255 || /[\\\0]/.test(name) || name.split('/').some((part) => part === '' || part === '.' || part === '..')) return null;
  const root = join(rendererDir, 'assets');
  const path = join(root, name);
  const inside = relative(root, path);
  if (inside.startsWith('..') || isAbsolute(inside)) return null;
  try {
    // A symlink inside the folder must not lead out of it either.
    const [realRoot, real] = await Promise.all([realpath(root), realpath(path)]);
    if (!real.startsWith(`${realRoot}${sep}`) || !(await stat(real)).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}

async function serveAsset(path: string): Promise<Response> {
  const type = MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const body = Readable.toWeb(createReadStream(path)) as NodeReadableStream<Uint8Array>;
  return new Response(body as unknown as ReadableStream<Uint8Array>, { status: 200, headers: { ...PAGE_HEADERS, 'Content-Type': type } });
}

const notFound = () => withCsp(jsonError(404, 'Not found'));

/** The `campanel://` handler, as a plain function (Electron calls it through protocol.handle). */
export function appProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  let indexHtml: Promise<string> | null = null;
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username !== '' || url.password !== '') return notFound();
    const path = url.pathname;
    if (path === '/' || path === '/index.html') {
      indexHtml ??= readFile(join(options.rendererDir, 'index.html'), 'utf8');
      return new Response(await indexHtml, { status: 200, headers: { ...PAGE_HEADERS, 'Content-Type': MIME['.html'] ?? 'text/html' } });
    }
    if (path.startsWith('/assets/')) {
      const file = await assetFile(options.rendererDir, path.slice('/assets/'.length));
      return file ? serveAsset(file) : notFound();
    }
    if (path.startsWith('/media/')) {
      if (!options.isLoggedIn()) return withCsp(jsonError(401, 'Please log in'));
      return withCsp(await options.media.handle(toMediaRequest(request), { allowed: options.isLoggedIn }));
    }
    return notFound();
  };
}

/** Serves the scheme; call once `app` is ready. */
export function handleAppProtocol(protocol: Pick<ProtocolLike, 'handle'>, options: AppProtocolOptions): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(options));
}
