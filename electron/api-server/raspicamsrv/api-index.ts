/**
 * GET /api and /api/: a short JSON index of the endpoints (docs/compatibility.md §2.6), open without a token,
 * so that the URL the panel shows answers something useful. Built from the registered routes, so it cannot
 * list a URL that does not answer; stream URLs are shown with the query they take.
 */
import { precomputedJson, sendJson } from './flask-json.js';
import type { ApiRoute } from './routes.js';

export interface IndexedRoutes {
  auth: readonly ApiRoute[];
  camera: readonly ApiRoute[];
  streams: readonly ApiRoute[];
}

/** How a stream route is called, where its URL alone does not say it. */
const CALLED_AS: Record<string, readonly string[]> = {
  '/api/stream': ['/api/stream?camera=N'],
  '/api/snapshot': ['/api/snapshot?camera=N'],
  '/': ['/?action=stream', '/?action=snapshot'],
};

const AUTHENTICATION =
  'POST /api/login with {"username": "<name>", "password": "<password>"}, then send the header ' +
  '"Authorization: Bearer <access_token>". ' +
  'Streams and snapshots also accept HTTP Basic and ?token=<token>.';

export function apiIndexRoutes(routes: IndexedRoutes, version: string | undefined): ApiRoute[] {
  const entries = (list: readonly ApiRoute[]) => list.flatMap((route) => (CALLED_AS[route.url] ?? [route.url]).map((url) => `${route.method} ${url}`));
  const body = precomputedJson({
    message: {
      version: version ?? 'CamPanel',
      authentication: AUTHENTICATION,
      auth: entries(routes.auth),
      camera: entries(routes.camera),
      streams: entries(routes.streams),
    },
  });
  const handler: ApiRoute['handler'] = (_request, reply) => sendJson(reply, 200, body);
  return [
    { method: 'GET', url: '/api', handler },
    { method: 'GET', url: '/api/', handler },
  ];
}
