/**
 * raspiCamSrv's dialect: /api/* and its stream URLs, with flask-jwt-extended's guard and Werkzeug's error
 * texts (docs/compatibility.md §2–§5). Registered without a prefix, so its not-found handler answers every
 * URL no other dialect claims.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { ROUTABLE_METHODS } from '../http-listener.js';
import type { LongLivedConnections } from '../long-lived.js';
import { apiIndexRoutes } from './api-index.js';
import { authRoutes } from './auth-routes.js';
import { cameraRoutes } from './camera-routes.js';
import { installJsonErrorHandler, installNotFoundHandler, sendMethodNotAllowed } from './errors.js';
import { infoRoutes } from './info-routes.js';
import type { ApiRoute } from './routes.js';
import { streamRoutes } from './stream-routes.js';

/** The methods a route can allow (routes are GET or POST), in the order Allow lists them. */
const ALLOW_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

export interface DialectOptions {
  deps: ApiDeps;
  longLived: LongLivedConnections;
}

export async function raspiCamSrvDialect(app: FastifyInstance, { deps, longLived }: DialectOptions): Promise<void> {
  installNotFoundHandler(app);
  installJsonErrorHandler(app, deps.logger);
  const auth = authRoutes(deps);
  const camera = [...cameraRoutes(deps), ...infoRoutes(deps)];
  const streams = streamRoutes(deps, longLived);
  registerRoutes(app, [...apiIndexRoutes({ auth, camera, streams }, deps.version), ...auth, ...camera, ...streams]);
}

/**
 * Registers the routes plus, for each URL, Flask's answers to the other methods: OPTIONS → 200 with
 * Allow (flask-jwt-extended skips the token check for it), any other method Node parses (TRACE, PURGE…)
 * → 405 JSON with Allow. The app must route every one of ROUTABLE_METHODS (api-app.ts adds them).
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
    const allowed = ALLOW_ORDER.filter((method) => methods.has(method));
    app.route({
      method: 'OPTIONS',
      url,
      handler: (_request, reply) => {
        // Flask's answer has no body either; the content type says what this port speaks (docs/compatibility.md §3.1).
        reply.code(200).header('allow', allowed.join(', ')).header('content-type', 'application/json').send();
      },
    });
    const refused = ROUTABLE_METHODS.filter((method) => !methods.has(method));
    if (refused.length > 0) {
      app.route({ method: refused, url, handler: (_request, reply) => sendMethodNotAllowed(reply, allowed) });
    }
  }
}
