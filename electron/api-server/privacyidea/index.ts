/**
 * privacyIDEA's dialect: the /system endpoints with privacyIDEA's envelope, header token and error codes
 * (system-routes.ts). Registered under the /system prefix with its own not-found and error handlers, so
 * every answer under /system is this dialect's. Routing follows Werkzeug's: fixed routes win over
 * /system/<key>, which takes exactly one path segment; a known URL with another method is 405 with Allow,
 * OPTIONS answers with Allow and no token, and /system without the slash is redirected (308).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { ROUTABLE_METHODS } from '../http-listener.js';
import { allowHeader, installSystemErrorHandlers, sendMethodNotAllowed, sendNotFound } from './errors.js';
import { LIST_METHODS, keyOf, serveRoute, systemRoutes } from './system-routes.js';
import type { SystemApi } from './system-api.js';

export interface SystemDialectOptions {
  deps: ApiDeps;
  system: SystemApi;
}

/** The key route's methods, which every one-segment fixed URL allows too (GET /system/setConfig reads a key). */
const KEY_METHODS = ['GET', 'HEAD', 'DELETE', 'OPTIONS'] as const;
const KEY_URL = '/*';

export async function privacyIdeaDialect(app: FastifyInstance, { deps, system }: SystemDialectOptions): Promise<void> {
  const version = deps.version;
  installSystemErrorHandlers(app, version, deps.logger);

  const methodsByUrl = new Map<string, Set<string>>();
  for (const route of systemRoutes(deps, system)) {
    app.route({ method: route.method, url: route.url, handler: serveRoute(deps, route), ...trailingSlash(route.url) });
    const methods = methodsByUrl.get(route.url) ?? new Set<string>(['OPTIONS']);
    methods.add(route.method);
    // Fastify answers HEAD for every GET route (exposeHeadRoutes), as Flask does.
    if (route.method === 'GET') methods.add('HEAD');
    if (/^\/[^/:*]+$/.test(route.url)) for (const method of KEY_METHODS) methods.add(method);
    methodsByUrl.set(route.url, methods);
  }

  for (const [url, methods] of methodsByUrl) {
    const allowedAt = (request: FastifyRequest): readonly string[] | null => {
      if (url === KEY_URL) {
        const key = keyOf(request);
        return key === null ? null : key === '' ? LIST_METHODS : [...methods];
      }
      // An empty path variable (/system/test/) is no URL for Werkzeug.
      return Object.values(request.params as Record<string, string>).includes('') ? null : [...methods];
    };
    const answer = (status: 200 | 405) => (request: FastifyRequest, reply: FastifyReply) => {
      const allowed = allowedAt(request);
      if (allowed === null) return sendNotFound(reply, version);
      if (status === 405) return sendMethodNotAllowed(reply, allowed, version);
      // Flask's automatic OPTIONS answer: Allow and no body; the content type says what this port speaks.
      reply.code(200).header('allow', allowHeader(allowed)).header('content-type', 'application/json').header('cache-control', 'no-cache').send();
    };
    app.route({ method: 'OPTIONS', url, handler: answer(200), ...trailingSlash(url) });
    const refused = ROUTABLE_METHODS.filter((method) => !methods.has(method));
    // Fixed one-segment URLs leave GET/DELETE to the key route; what they refuse is refused here.
    if (refused.length > 0) app.route({ method: refused, url, handler: answer(405), ...trailingSlash(url) });
  }

  // Flask's strict slashes: /system is redirected to /system/ for the methods /system/ allows; others find
  // no route (404). The query is not carried over: nothing the client sent is repeated back.
  app.route({ method: ['GET', 'OPTIONS'], url: '/', prefixTrailingSlash: 'no-slash', handler: redirectToList });
}

function redirectToList(_request: FastifyRequest, reply: FastifyReply): void {
  reply.code(308).header('location', '/system/').header('content-type', 'application/json').header('cache-control', 'no-cache').send();
}

/** `/` under the prefix is /system/ only (Fastify would register /system too). */
const trailingSlash = (url: string): Pick<RouteOptions, 'prefixTrailingSlash'> => (url === '/' ? { prefixTrailingSlash: 'slash' } : {});
