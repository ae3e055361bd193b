/**
 * The headless panel: serves the built renderer and the contract's channels over HTTP on
 * 127.0.0.1 only. `GET /?token=…` trades a single-use panel link for a session cookie; every call
 * then goes through the same HandlerRegistry as Electron's IPC. `GET /media/…` serves captures, their
 * thumbnails and the camera previews to a logged-in session only.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { ErrorCode, Result } from '../../shared/contract.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import { MediaHandler } from '../media/media-handler.js';
import { mediaRefusal } from '../media/media-access.js';
import { parseMediaTarget } from '../media/media-path.js';
import { PREVIEW_HEADERS, previewRefusal } from '../media/preview-stream.js';
import type { HandlerRegistry, PanelSession } from '../registry/handler-registry.js';
import { EventStreams, STREAM_PREAMBLE } from './event-streams.js';
import { ExchangeLimiter } from './exchange-limiter.js';
import { LINK_LIMITS, PanelLinks } from './panel-links.js';
import { LINK_REFUSED_PAGE, NO_ROOM_PAGE, NO_SESSION_PAGE, PAGE_CSS, PAGE_CSS_PATH, tooManyAttemptsPage } from './panel-pages.js';
import { PANEL_CSP } from './panel-csp.js';
import { PanelSessions } from './panel-sessions.js';
import { offerPanelUrls } from './panel-url.js';
import { PreviewSockets } from './preview-sockets.js';
import { SESSION_FILE_NAME, SessionFile } from './session-file.js';

export { PANEL_CSP };

/** How often ended sessions are looked for: their preview streams end, and their end reaches the session file. */
const SESSION_SWEEP_MS = 5000;

/** Sent on every answer, including the hand-written head of `/events`. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': PANEL_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer', // the link token must not leak through Referer
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid: 422,
  unsupported: 501,
  internal: 500,
};

export interface PanelServerOptions {
  core: CamPanelCore;
  registry: HandlerRegistry;
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
}

export interface PanelServer {
  port: number;
  /** The URL to print at start: a single-use link that waits until it is used. */
  url: string;
  /** A fresh single-use URL that lapses if nobody opens it (what `campanel panel-url` prints). */
  issueUrl(): string;
  close(): Promise<void>;
}

/** Node keeps only the first of repeated Host headers; a request carrying two is ambiguous, so it is refused. */
const hostHeaderCount = (rawHeaders: string[]) =>
  rawHeaders.filter((value, index) => index % 2 === 0 && value.toLowerCase() === 'host').length;

const refusal = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });

export async function startPanelServer(options: PanelServerOptions): Promise<PanelServer> {
  const { core, registry, rendererDir } = options;
  const sessions = await PanelSessions.open(new SessionFile(join(core.dataDir, SESSION_FILE_NAME), core.logger));
  const links = new PanelLinks();
  const limiter = new ExchangeLimiter();
  const streams = new EventStreams(core.events);
  const previews = new PreviewSockets();
  const media = new MediaHandler(core.captures, null, core.logger);
  const lookupUser = (name: string) => core.users.get(name);
  const mayWatch = (session: PanelSession) => sessions.isLive(session) && mediaRefusal(session, lookupUser) === null;
  const sweep = setInterval(() => {
    sessions.prune();
    previews.endUnless(mayWatch);
  }, SESSION_SWEEP_MS);
  sweep.unref();
  const indexHtml = await readFile(join(rendererDir, 'index.html'), 'utf8');
  const app = Fastify({
    logger: false,
    bodyLimit: 512 * 1024,
    trustProxy: false,
    // Fastify's own answers to a URL it cannot decode quote the URL back; ours say only what was wrong.
    frameworkErrors: (_error, _request, reply: FastifyReply) => {
      void reply.code(400).headers(SECURITY_HEADERS).send(refusal('bad_request', 'Bad request'));
    },
  });
  let port = options.port;
  const cookieName = () => `campanel_session_${port}`;

  await app.register(fastifyCookie);
  await app.register(fastifyStatic, { root: join(rendererDir, 'assets'), prefix: '/assets/', index: false, wildcard: true });

  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (hostHeaderCount(request.raw.rawHeaders) > 1) return reply.code(400).type('text/plain').send('Bad request');
    // DNS rebinding defence: a page on another name that resolves to 127.0.0.1 must not reach us.
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return reply.code(421).type('text/plain').send('Misdirected request');
    }
  });

  const sessionOf = (request: FastifyRequest): PanelSession | null => sessions.get(request.cookies[cookieName()]);

  app.get('/', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const session = sessionOf(request);
    if (typeof query.token !== 'string') {
      return session ? reply.type('text/html').send(indexHtml) : reply.code(401).type('text/html').send(NO_SESSION_PAGE);
    }
    const link = links.match(query.token);
    if (session) {
      // Reopening a link in a browser that already has a session: the link is used up, the session stays.
      if (link) links.consume(link);
      return reply.redirect('/', 303);
    }
    const address = request.ip;
    const waitMs = limiter.retryAfterMs(address);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      return reply.code(429).header('Retry-After', String(seconds)).type('text/html').send(tooManyAttemptsPage(seconds));
    }
    if (!link) {
      if (limiter.recordFailure(address)) core.logger.warn({ address }, 'panel links refused: too many wrong or used links from this address');
      return reply.code(401).type('text/html').send(LINK_REFUSED_PAGE);
    }
    // Checked before the link is used up, so that it still works once a session ends.
    if (!sessions.makeRoom()) return reply.code(503).type('text/html').send(NO_ROOM_PAGE);
    links.consume(link);
    reply.setCookie(cookieName(), sessions.create(), { httpOnly: true, sameSite: 'strict', path: '/' });
    core.logger.info({ address }, 'panel link used');
    return reply.redirect('/', 303); // drop the token from the address bar and history
  });

  app.get(PAGE_CSS_PATH, async (_request, reply) => reply.type('text/css').send(PAGE_CSS));

  app.post('/rpc/:channel', async (request, reply) => {
    const session = sessionOf(request);
    if (!session) return reply.code(401).send(refusal('unauthenticated', 'No panel session'));
    // A custom header cannot be sent cross-site without CORS, which we never grant.
    if (request.headers['x-campanel'] !== '1') return reply.code(403).send(refusal('forbidden', 'Missing X-CamPanel header'));
    const { channel } = request.params as { channel: string };
    const result = await registry.invoke(channel, request.body, {
      session,
      transport: 'http',
      address: request.ip,
    });
    // Login, logout or a removed user: the file learns it now, and previews stop once nobody may watch.
    sessions.noteLogin(session);
    if (previews.has(session) && !mayWatch(session)) previews.endUnless(mayWatch);
    return reply.code(result.ok ? 200 : STATUS_BY_CODE[result.error.code]).send(result);
  });

  app.get('/events', (request, reply) => {
    const session = sessionOf(request);
    if (!session) {
      void reply.code(401).send(refusal('unauthenticated', 'No panel session'));
      return;
    }
    const refused = streams.refusal(session);
    if (refused) {
      void reply.code(429).send(refusal('conflict', refused));
      return;
    }
    reply.hijack();
    const raw = reply.raw;
    // Hijacked: the hook's headers are not applied, so the head carries them itself.
    raw.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
    raw.write(STREAM_PREAMBLE);
    streams.add(session, raw);
  });

  app.get('/media/*', async (request, reply) => {
    const session = sessionOf(request);
    const denied = session ? mediaRefusal(session, lookupUser) : { message: 'No panel session' };
    if (!session || denied) return reply.code(401).send({ error: denied?.message ?? 'Please log in' });
    const parsed = parseMediaTarget(request.url);
    if (!parsed.ok || parsed.target.kind !== 'preview') {
      return reply.send(await media.handle({ method: request.method, target: request.url, range: request.headers.range ?? null }));
    }
    const camera = parsed.target.camera;
    const refused = previewRefusal(core.camera, camera);
    if (refused) return reply.code(refused[0]).send({ error: refused[1] });
    if (request.method === 'HEAD') return reply.headers(PREVIEW_HEADERS).send();
    // The MJPEG stream on the socket itself: it sends a frame only once the browser has taken the last one
    // (mjpeg-client.ts), which a Response body could not tell, so a slow page never lags behind the camera.
    reply.hijack();
    const socket = request.raw.socket;
    if (previews.add(session, socket)) core.camera.openStream(camera, socket);
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/rpc/')) return reply.code(404).send(refusal('bad_request', 'Unknown channel'));
    return reply.code(404).type('text/plain').send('Not found');
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) core.logger.error({ url: request.url, err: error.message }, 'panel server error');
    const message = status === 500 ? 'Internal error' : error.message;
    return reply.code(status).send(refusal(status === 500 ? 'internal' : 'bad_request', message));
  });

  try {
    await app.listen({ host: '127.0.0.1', port: options.port });
  } catch (error) {
    clearInterval(sweep);
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new DomainError('conflict', `Panel port ${options.port} is already in use; choose another with --panel-port`);
    }
    throw error;
  }
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : options.port;
  const urlFor = (token: string) => `http://127.0.0.1:${port}/?token=${token}`;
  const issueUrl = () => urlFor(links.issue(LINK_LIMITS.freshLifetimeMs));
  const withdraw = offerPanelUrls(core, issueUrl);
  return {
    port,
    url: urlFor(links.issue(null)),
    issueUrl,
    close: async () => {
      withdraw();
      clearInterval(sweep);
      await streams.closeAll(); // the pages hear "closing" before their connections go
      previews.closeAll();
      app.server.closeAllConnections();
      await app.close();
      await sessions.flush();
    },
  };
}
