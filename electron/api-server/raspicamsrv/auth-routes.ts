/**
 * POST /api/login, POST /api/refresh, GET /api/protected: raspiCamSrv's auth endpoints (docs/compatibility.md §2.1–§2.3),
 * byte-compatible, plus CamPanel's login limiting (the network limiter, never the panel's), the log of failed
 * logins and the per-request user lookup.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LIMITS } from '../../../shared/domain.js';
import type { LoginFailureReason } from '../../users/login-failure-log.js';
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
  `Too many failed login attempts. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`;

export const protectedMessage = (user: string): string => `Hello, ${user}! You accessed a protected route.`;

const INVALID_CREDENTIALS_BODY = precomputedJson({ error: LOGIN_TEXTS.invalidCredentials });

/** The body /api/login parses (also the OpenAPI document's request schema: openapi-docs.ts). */
export const loginBodySchema = z.object({ username: z.string(), password: z.string() });

/**
 * Tokens issued in the second of the user's last password change are refused (guard.ts): a login in that
 * same second waits for the next one, so its tokens live. A clock that went back further than that is not
 * waited for (the tokens work once the clock has passed the change again).
 */
async function waitForNextSecond(validFrom: number | null): Promise<void> {
  if (validFrom === null) return;
  const wait = (Math.floor(validFrom / 1000) + 1) * 1000 - Date.now();
  // A few ms more: a timer may fire a millisecond early, and the token's iat must be the next second.
  if (wait > 0 && wait <= 1000) await sleep(wait + 5);
}

export function authRoutes(deps: ApiDeps): ApiRoute[] {
  /** "Hello, <user>!" bodies by user name: the hot path sends a ready buffer (bounded by the user count). */
  const protectedBodies = new Map<string, Buffer>();

  const login = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const parsed = loginBodySchema.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new ApiHttpError(400, LOGIN_TEXTS.badShape);
    const { username, password } = parsed.data;
    const failed = (reason: LoginFailureReason) =>
      deps.loginFailures?.record({ user: username, address: request.ip, reason, via: 'api-login' });
    // No such user can exist and hashing 64 KiB would only waste CPU; saying so reveals nothing.
    if (username.length > LIMITS.userName || password.length > LIMITS.password) {
      failed('name or password too long');
      throw new ApiHttpError(400, LOGIN_TEXTS.tooLong);
    }

    // A password change while this login is being checked must not let a token through (see below).
    const validFromBefore = deps.users.tokensValidFrom(username);
    const attempt = await deps.limiter.attempt(username, request.ip, () => deps.users.verifyPassword(username, password));
    if (attempt.outcome === 'limited') {
      failed('too many failures');
      const seconds = Math.max(1, Math.ceil(attempt.retryAfterMs / 1000));
      reply.header('retry-after', String(seconds));
      sendJson(reply, 429, { error: tooManyAttemptsText(seconds) });
      return;
    }
    if (attempt.outcome === 'wrong') {
      failed(deps.users.get(username) ? 'wrong password' : 'unknown user');
      sendJson(reply, 401, INVALID_CREDENTIALS_BODY);
      return;
    }
    const user = attempt.value;
    // raspiCamSrv checks this after the password, so it only tells someone who knows the password.
    if (user.initial) {
      failed('password change required');
      sendJson(reply, 401, PASSWORD_CHANGE_BODY);
      return;
    }
    await waitForNextSecond(deps.users.tokensValidFrom(user.name));
    const access = await deps.jwt.signAccess(user.name);
    const refresh = deps.accessTokenMinutes === 0 ? null : await deps.jwt.signRefresh(user.name);
    // The password was checked against the hash in memory when the check began; if it changed meanwhile,
    // these tokens could belong to the old password and would live on: send none.
    if (deps.users.tokensValidFrom(user.name) !== validFromBefore) {
      failed('wrong password');
      sendJson(reply, 401, INVALID_CREDENTIALS_BODY);
      return;
    }
    sendJson(reply, 200, refresh ? { access_token: access.token, refresh_token: refresh.token } : { access_token: access.token });
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
