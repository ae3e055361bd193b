/**
 * The headless panel: serves the built renderer and the contract's channels over HTTP on
 * 127.0.0.1 only. `GET /?token=…` trades the printed token for a session cookie; every call
 * then goes through the same HandlerRegistry as Electron's IPC.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { ErrorCode, PanelEvent, Result } from '../../shared/contract.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import type { HandlerRegistry, PanelSession } from '../registry/handler-registry.js';
import { PanelSessions } from './panel-sessions.js';

export const PANEL_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

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
  /** The URL to print: includes the start token. */
  url: string;
  close(): Promise<void>;
}

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body><h1>${title}</h1><p>${text}</p></body></html>`;

const NO_SESSION_PAGE = page(
  'CamPanel',
  'This panel link has expired or is invalid. Open the Panel URL printed by <code>campanel serve</code>.',
);

const refusal = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });

export async function startPanelServer(options: PanelServerOptions): Promise<PanelServer> {
  const { core, registry, rendererDir } = options;
  const sessions = new PanelSessions();
  const indexHtml = await readFile(join(rendererDir, 'index.html'), 'utf8');
  const app = Fastify({ logger: false, bodyLimit: 512 * 1024, trustProxy: false });
  let port = options.port;
  const cookieName = () => `campanel_session_${port}`;

  await app.register(fastifyCookie);
  await app.register(fastifyStatic, { root: join(rendererDir, 'assets'), prefix: '/assets/', index: false, wildcard: true });

  // DNS rebinding defence: a page on another name that resolves to 127.0.0.1 must not reach us.
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return reply.code(421).type('text/plain').send('Misdirected request');
    }
    reply.header('Content-Security-Policy', PANEL_CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer'); // the start token must not leak through Referer
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cache-Control', 'no-store');
  });

  const sessionOf = (request: FastifyRequest): PanelSession | null => sessions.get(request.cookies[cookieName()]);

  app.get('/', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    if (typeof query.token === 'string') {
      const id = sessions.exchange(query.token);
      if (!id) return reply.code(401).type('text/html').send(NO_SESSION_PAGE);
      reply.setCookie(cookieName(), id, { httpOnly: true, sameSite: 'strict', path: '/' });
      return reply.redirect('/', 303); // drop the token from the address bar and history
    }
    if (!sessionOf(request)) return reply.code(401).type('text/html').send(NO_SESSION_PAGE);
    return reply.type('text/html').send(indexHtml);
  });

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
    return reply.code(result.ok ? 200 : STATUS_BY_CODE[result.error.code]).send(result);
  });

  app.get('/events', (request, reply) => {
    if (!sessionOf(request)) {
      void reply.code(401).send(refusal('unauthenticated', 'No panel session'));
      return;
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'Content-Security-Policy': PANEL_CSP,
    });
    raw.write(': connected\n\n');
    const send = (event: PanelEvent) => raw.write(`data: ${JSON.stringify(event)}\n\n`);
    const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), 25_000);
    core.events.on('event', send);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      core.events.off('event', send);
    });
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
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new DomainError('conflict', `Panel port ${options.port} is already in use; choose another with --panel-port`);
    }
    throw error;
  }
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${sessions.startToken}`,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}
