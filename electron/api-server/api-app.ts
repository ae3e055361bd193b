/**
 * The Fastify instance behind the API port. Built per start (one JwtService = one key), so "Restart API"
 * simply builds a new one. The listener, body reading and the token service are shared; each dialect is a
 * Fastify plugin with its own routes, guard and error shape: raspiCamSrv's /api and stream URLs today,
 * privacyIDEA's /system next (mounted with its own prefix, not-found and error handlers).
 *
 * Speed matters here (target: ≥ 60 % of a bare node:http server): no request logging, no schema
 * serialisation, bodies sent as ready-made Buffers, and JwtService's verify cache.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps.js';
import { DEFAULT_LISTENER_LIMITS, HttpListener, ROUTABLE_METHODS, type ListenerLimits } from './http-listener.js';
import { BODY_LIMIT_BYTES } from './json-body.js';
import type { LongLivedConnections } from './long-lived.js';
import { LISTENER_ANSWERS, sendFrameworkError } from './raspicamsrv/errors.js';
import { precomputedJson, sendJson } from './raspicamsrv/flask-json.js';
import { campanelOpenApiDocument } from './openapi/campanel-document.js';
import { registerOpenApiRoute } from './openapi/openapi-route.js';
import { isSystemUrl, sendSystemFrameworkError } from './privacyidea/errors.js';
import { privacyIdeaDialect } from './privacyidea/index.js';
import { raspiCamSrvDialect } from './raspicamsrv/index.js';

export function buildApiApp(deps: ApiDeps, longLived: LongLivedConnections, limits: Partial<ListenerLimits> = {}): FastifyInstance {
  // The listener's refusals are worded by the dialect that owns unclaimed URLs: raspiCamSrv's, for now.
  const listener = new HttpListener({ ...DEFAULT_LISTENER_LIMITS, ...limits }, LISTENER_ANSWERS, longLived);
  const app = Fastify({
    logger: false,
    // No per-request log lines at all (they would also carry request details we do not want in logs).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Flask routes are strict about the trailing slash too.
    routerOptions: { ignoreTrailingSlash: false },
    // Timeouts, connection bound and the answers Fastify and Node would give in their own shapes.
    serverFactory: (handler) => listener.createServer(handler),
    clientErrorHandler: listener.clientError,
    // A URL Fastify cannot route (bad percent-encoding) is answered in the shape of the dialect it was meant for.
    frameworkErrors: (error, request, reply) =>
      deps.system && isSystemUrl(request.url) ? sendSystemFrameworkError(reply, deps.version) : sendFrameworkError(error, request, reply),
    // The listener answers 503 in JSON while closing; Fastify's would be its own shape.
    return503OnClosing: false,
  });
  app.addHook('preClose', (done) => {
    listener.closing = true;
    done();
  });
  // Fastify routes only some methods; the rest would fall through to 404 where Werkzeug answers 405.
  for (const method of ROUTABLE_METHODS) {
    if (!app.supportedMethods.includes(method)) app.addHttpMethod(method);
  }

  // One catch-all parser keeping the raw bytes: handlers decide, with their dialect's rules, whether the body
  // must be JSON (json-body.ts). Fastify's own JSON parser would answer bad input with its own texts, and
  // endpoints that ignore the body (e.g. /api/refresh) must not fail on whatever a client sends.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  // Only a listener started locked has the hook, so the normal path pays nothing for it.
  if (deps.secretsLocked) installSecretsLockedGate(app, deps.secretsLocked);
  // /system first: its prefix, not-found and error handlers are its own; raspiCamSrv's answer everything else.
  if (deps.system) void app.register(privacyIdeaDialect, { prefix: '/system', deps, system: deps.system });
  void app.register(raspiCamSrvDialect, { deps, longLived });
  // The document of every operation above, built from the schemas the handlers parse with (docs/openapi.json).
  registerOpenApiRoute(app, campanelOpenApiDocument());
  return app;
}

const SECRETS_LOCKED_BODY = precomputedJson({ msg: 'Secrets locked: the API starts once an admin unlocks the secrets file' });

/**
 * While the secrets file is locked the listener has no key: everything outside /system answers 503 before its
 * body is read or a token looked at (so /api/login mints nothing with the throwaway key), and /system itself
 * serves only /system/hsm, which unlocks it.
 */
function installSecretsLockedGate(app: FastifyInstance, secretsLocked: () => boolean): void {
  app.addHook('onRequest', (request, reply, done) => {
    const url = request.url;
    if (!secretsLocked() || url === '/system' || url.startsWith('/system/') || url.startsWith('/system?')) {
      done();
      return;
    }
    // Replying without calling done() ends the hook chain here.
    sendJson(reply, 503, SECRETS_LOCKED_BODY);
  });
}
