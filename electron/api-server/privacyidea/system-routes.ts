/**
 * The /system endpoints (paths relative to the /system prefix): who may call each, and what it answers.
 * Every request goes token → parameters → role → endpoint, privacyIDEA's order (its blueprint-level
 * user check and parameter merge run before an endpoint's admin check). The camera-server behaviour
 * behind each one is SystemApi's; only /system/random is answered here.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps, ApiUser } from '../api-deps.js';
import type { JsonValue } from '../raspicamsrv/flask-json.js';
import { actorOf, authenticate, requireAdmin } from './auth.js';
import { THREAD_ID, sendEnvelope, successBody, type SuccessDetail } from './envelope.js';
import { PI_ERROR_TEXTS, SystemHttpError, allowHeader } from './errors.js';
import { hsmStatus, unlockHsm, unlockWhileLocked } from './hsm.js';
import { readSystemParams } from './params.js';
import { RANDOM_LEN_TEXT, TOKEN_TYPES, randomParamsSchema } from './schemas.js';
import { HSM_TEXTS, SystemError, type SystemActor, type SystemApi, type SystemParams } from './system-api.js';

export interface SystemCall {
  params: SystemParams;
  user: ApiUser;
  actor: SystemActor;
}

export type SystemAnswer = { value: JsonValue; detail?: SuccessDetail } | { documentation: string };

export interface SystemRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** Relative to /system; `/*` is the config key route. */
  url: string;
  admin: boolean;
  /** Path variables as privacyIDEA names them, merged into the parameters last. */
  pathVars?: (request: FastifyRequest) => Record<string, string>;
  /** The answer while the secrets file is locked (no token can be checked then); absent: ERR707 hsm not ready. */
  whileLocked?: (request: FastifyRequest) => Promise<JsonValue>;
  run: (call: SystemCall) => Promise<SystemAnswer>;
}

export const NOT_IMPLEMENTED = 'Not implemented';
export const unknownTokenTypeText = `Unknown token type. Known types: ${TOKEN_TYPES.join(', ')} (hmac = hotp)`;

const value = (answer: JsonValue): SystemAnswer => ({ value: answer });
/** SystemApi's results are plain JSON data; its interfaces (GpgKey, CaConnector) lack JsonValue's index signature. */
const data = (answer: object): SystemAnswer => ({ value: answer as JsonValue });

/** The config key of /system/<key>: one path segment; anything deeper is no route (as in Werkzeug). */
export function keyOf(request: FastifyRequest): string | null {
  const rest = (request.params as { '*'?: string })['*'] ?? '';
  return rest.includes('/') ? null : rest;
}

const notFound = () => new SystemHttpError(404, 601, PI_ERROR_TEXTS.notFound);

/** What /system/ itself allows: an empty key is the list URL, not a key (Werkzeug's <key> needs a character). */
export const LIST_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;

function keyVars(request: FastifyRequest): Record<string, string> {
  const key = keyOf(request);
  if (key === null) throw notFound();
  if (key === '') throw new SystemHttpError(405, 405, PI_ERROR_TEXTS.methodNotAllowed, null, { allow: allowHeader(LIST_METHODS) });
  return { key };
}

export function systemRoutes(deps: ApiDeps, system: SystemApi): SystemRoute[] {
  return [
    { method: 'GET', url: '/', admin: false, run: async ({ user }) => value(await system.readConfig(user.role)) },
    {
      method: 'GET',
      url: '/*',
      admin: false,
      pathVars: keyVars,
      run: async ({ params, user }) => value(await system.readConfigKey(params['key'] ?? '', user.role)),
    },
    {
      method: 'DELETE',
      url: '/*',
      admin: true,
      pathVars: keyVars,
      run: async ({ params, actor }) => value(await system.deleteConfig(params['key'] ?? '', actor)),
    },
    { method: 'POST', url: '/setConfig', admin: true, run: async ({ params, actor }) => value(await system.setConfig(params, actor)) },
    { method: 'POST', url: '/setDefault', admin: true, run: async ({ params, actor }) => value(await system.setDefault(params, actor)) },
    { method: 'GET', url: '/documentation', admin: true, run: async ({ actor }) => ({ documentation: await system.documentation(actor) }) },
    { method: 'GET', url: '/random', admin: true, run: async ({ params }) => value(randomKey(params)) },
    { method: 'GET', url: '/nodes', admin: true, run: async () => data(await system.nodes()) },
    {
      method: 'GET',
      url: '/hsm',
      admin: true,
      whileLocked: async () => hsmStatus(system),
      run: async () => value(hsmStatus(system)),
    },
    {
      method: 'POST',
      url: '/hsm',
      admin: true,
      whileLocked: (request) => unlockWhileLocked(deps, system, request),
      run: async ({ params, actor }) => value(await unlockHsm(deps, system, params, actor)),
    },
    {
      method: 'POST',
      url: '/test/:tokentype',
      admin: true,
      pathVars: (request) => {
        const tokentype = (request.params as { tokentype?: string }).tokentype ?? '';
        if (tokentype === '') throw notFound();
        return { tokentype };
      },
      run: (call) => testTokenType(system, call),
    },
    { method: 'GET', url: '/gpgkeys', admin: true, run: async () => data(await system.gpgKeys()) },
    { method: 'GET', url: '/names/radius', admin: false, run: async () => value(await system.radiusNames()) },
    { method: 'GET', url: '/names/caconnector', admin: false, run: async () => data(await system.caConnectors()) },
  ];
}

/** A route's handler: locked-mode check, token, parameters, role, endpoint; errors go to the dialect's handler. */
export function serveRoute(deps: ApiDeps, route: SystemRoute): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    // Routing first (as Flask does): a deeper path under the key route is no URL at all, locked or not.
    const pathVars = route.pathVars?.(request) ?? {};
    if (deps.secretsLocked?.()) {
      if (!route.whileLocked) throw new SystemError(707, HSM_TEXTS.notReady);
      return sendEnvelope(reply, 200, successBody(await route.whileLocked(request), deps.version));
    }
    const user = await authenticate(deps, request);
    const params = await readSystemParams(request, pathVars);
    if (route.admin) requireAdmin(user);
    const answer = await route.run({ params, user, actor: actorOf(user, request) });
    if ('documentation' in answer) {
      reply
        .code(200)
        .header('content-type', 'text/plain; charset=utf-8')
        .header('content-disposition', 'attachment; filename=documentation.rst')
        .header('cache-control', 'no-cache')
        .send(answer.documentation);
      return;
    }
    sendEnvelope(reply, 200, successBody(answer.value, deps.version, answer.detail));
  };
}

/** GET /system/random: `len` bytes (1–1024, default 20) from the OS's generator, as hex or base64. Never logged. */
export function randomKey(params: SystemParams): string {
  const len = params['len'];
  const parsed = randomParamsSchema.safeParse({
    // privacyIDEA's `int(len or 20)`: absent or empty means the default; otherwise a whole number.
    len: len === null || len === undefined || len === '' ? undefined : /^\s*[+-]?\d+\s*$/.test(len) ? Number(len) : len,
    encode: params['encode'] ?? undefined,
  });
  if (!parsed.success) throw new SystemError(905, RANDOM_LEN_TEXT);
  const bytes = randomBytes(parsed.data.len);
  return parsed.data.encode === 'b64' ? bytes.toString('base64') : bytes.toString('hex');
}

/** POST /system/test/<type>: only email has a test (a real mail); other known types answer "Not implemented". */
async function testTokenType(system: SystemApi, { params, actor }: SystemCall): Promise<SystemAnswer> {
  const requested = (params['tokentype'] ?? '').toLowerCase();
  const type = requested === 'hmac' ? 'hotp' : requested;
  if (!(TOKEN_TYPES as readonly string[]).includes(type)) throw new SystemError(905, unknownTokenTypeText);
  if (type !== 'email') return { value: false, detail: { message: NOT_IMPLEMENTED, threadid: THREAD_ID } };
  const result = await system.testEmail(params, actor);
  return { value: result.ok, detail: { message: result.message, threadid: THREAD_ID } };
}
