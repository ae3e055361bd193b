/**
 * POST /api/login, POST /api/refresh, GET /api/protected: raspiCamSrv's auth endpoints (docs/compatibility.md §2.1–§2.3),
 * byte-compatible, plus CamPanel's login limiting and per-request user lookup.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LIMITS } from '../../../shared/domain.js';
import type { ApiDeps } from '../api-deps.js';
import { readJsonBody } from '../json-body.js';
import { PASSWORD_CHANGE_BODY, guarded } from './guard.js';
import { precomputedJson, sendJson } from './flask-json.js';
import { ApiHttpError } from './errors.js';
import type { ApiRoute } from './routes.js';

export const LOGIN_TEXTS = {
  invalidCredentials: 'Invalid username or password',
  badShape: 'The JSON body must be an object with "username" and "password" strings',
  tooLong: `"username" is at most ${LIMITS.userName} and "password" at most ${LIMITS.password} characters`,
} as const;

export const tooManyAttemptsText = (seconds: number): string =>
  `Too many failed login attempts. Try again in ${seconds} seconds.`;

export const protectedMessage = (user: string): string => `Hello, ${user}! You accessed a protected route.`;

const INVALID_CREDENTIALS_BODY = precomputedJson({ error: LOGIN_TEXTS.invalidCredentials });

const loginBodySchema = z.object({ username: z.string(), password: z.string() });

export function authRoutes(deps: ApiDeps): ApiRoute[] {
  /** "Hello, <user>!" bodies by user name: the hot path sends a ready buffer (bounded by the user count). */
  const protectedBodies = new Map<string, Buffer>();

  const login = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const parsed = loginBodySchema.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new ApiHttpError(400, LOGIN_TEXTS.badShape);
    const { username, password } = parsed.data;
    // No such user can exist and hashing 64 KiB would only waste CPU; saying so reveals nothing.
    if (username.length > LIMITS.userName || password.length > LIMITS.password) throw new ApiHttpError(400, LOGIN_TEXTS.tooLong);

    const attempt = await deps.limiter.attempt(username, request.ip, () => deps.users.verifyPassword(username, password));
    if (attempt.outcome === 'limited') {
      const seconds = Math.max(1, Math.ceil(attempt.retryAfterMs / 1000));
      reply.header('retry-after', String(seconds));
      sendJson(reply, 429, { error: tooManyAttemptsText(seconds) });
      return;
    }
    if (attempt.outcome === 'wrong') {
      sendJson(reply, 401, INVALID_CREDENTIALS_BODY);
      return;
    }
    const user = attempt.value;
    // raspiCamSrv checks this after the password, so it only tells someone who knows the password.
    if (user.initial) {
      sendJson(reply, 401, PASSWORD_CHANGE_BODY);
      return;
    }
    const access = await deps.jwt.signAccess(user.name);
    if (deps.accessTokenMinutes === 0) {
      sendJson(reply, 200, { access_token: access.token });
      return;
    }
    const refresh = await deps.jwt.signRefresh(user.name);
    sendJson(reply, 200, { access_token: access.token, refresh_token: refresh.token });
  };

  // The refresh token is not rotated (flask-jwt-extended / raspiCamSrv behaviour); the new token is not fresh.
  const refresh = guarded(deps, 'refresh', async (caller, _request, reply) => {
    const access = await deps.jwt.signAccess(caller.user.name, { fresh: false });
    sendJson(reply, 200, { access_token: access.token });
  });

  const hello = guarded(deps, 'access', (caller, _request, reply) => {
    const name = caller.user.name;
    let body = protectedBodies.get(name);
    if (!body) {
      if (protectedBodies.size >= 1000) protectedBodies.clear(); // names of since-deleted users, at worst
      body = precomputedJson({ message: protectedMessage(name) });
      protectedBodies.set(name, body);
    }
    sendJson(reply, 200, body);
  });

  return [
    { method: 'POST', url: '/api/login', handler: login },
    { method: 'POST', url: '/api/refresh', handler: refresh },
    { method: 'GET', url: '/api/protected', handler: hello },
  ];
}
