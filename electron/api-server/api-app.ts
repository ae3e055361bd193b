/**
 * The Fastify instance serving raspiCamSrv's /api. Built per start (one JwtService = one key), so
 * "Restart API" simply builds a new one.
 *
 * Speed matters here (target: ≥ 60 % of a bare node:http server): no request logging, no schema
 * serialisation, bodies sent as ready-made Buffers, and JwtService's verify cache.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps.js';
import { authRoutes, type ApiRoute } from './auth-routes.js';
import { BODY_LIMIT_BYTES, installJsonErrorHandlers, sendMethodNotAllowed } from './json-errors.js';

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

export function buildApiApp(deps: ApiDeps): FastifyInstance {
  const app = Fastify({
    logger: false,
    // No per-request log lines at all (they would also carry request details we do not want in logs).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Flask routes are strict about the trailing slash too.
    routerOptions: { ignoreTrailingSlash: false },
    return503OnClosing: true,
  });

  // One catch-all parser keeping the raw bytes: handlers decide, with Flask's rules, whether the body must
  // be JSON (see json-body.ts). Fastify's own JSON parser would answer bad input with its own texts, and
  // endpoints that ignore the body (e.g. /api/refresh) must not fail on whatever a client sends.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  installJsonErrorHandlers(app, deps.logger);
  registerRoutes(app, authRoutes(deps));
  return app;
}

/**
 * Registers the routes plus, for each URL, Flask's answers to the other methods: OPTIONS → 200 with
 * Allow (flask-jwt-extended skips the token check for it), anything else → 405 JSON with Allow.
 * Later endpoint groups add their ApiRoute lists here.
 */
export function registerRoutes(app: FastifyInstance, routes: readonly ApiRoute[]): void {
  const methodsByUrl = new Map<string, Set<string>>();
  for (const route of routes) {
    app.route({ method: route.method, url: route.url, handler: route.handler });
    const methods = methodsByUrl.get(route.url) ?? new Set<string>();
    methods.add(route.method);
    // Fastify answers HEAD for every GET route (exposeHeadRoutes), as Flask does.
    if (route.method === 'GET') methods.add('HEAD');
    methods.add('OPTIONS');
    methodsByUrl.set(route.url, methods);
  }
  for (const [url, methods] of methodsByUrl) {
    const allowed = ALL_METHODS.filter((method) => methods.has(method));
    app.route({
      method: 'OPTIONS',
      url,
      handler: (_request, reply) => {
        reply.code(200).header('allow', allowed.join(', ')).send();
      },
    });
    const refused = ALL_METHODS.filter((method) => !methods.has(method));
    if (refused.length > 0) {
      app.route({ method: refused, url, handler: (_request, reply) => sendMethodNotAllowed(reply, allowed) });
    }
  }
}
