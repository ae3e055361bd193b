/**
 * Who is calling /system: an access token from POST /api/login, sent as privacyIDEA clients send theirs
 * (`PI-Authorization: <jwt>`, else `Authorization: <jwt>`) or as raspiCamSrv clients do (`Authorization:
 * Bearer <jwt>`). The token then goes through the same revocation and per-request user lookup as /api
 * (raspicamsrv/guard.ts), so the role is the user's role now: deleting a user or demoting an admin takes
 * effect on the next request. Refusals use privacyIDEA's codes and texts, never repeating the token.
 */
import type { FastifyRequest } from 'fastify';
import { JWT_MESSAGES, JwtError, type VerifiedToken } from '../../jwt/jwt-service.js';
import type { ApiDeps, ApiUser } from '../api-deps.js';
import { admitToken } from '../raspicamsrv/guard.js';
import { AUTH_CODES, PI_AUTH_TEXTS, authError, badTokenText } from './errors.js';
import type { SystemActor } from './system-api.js';

/** Reasons of our own where PyJWT's text would mislead (these cases differ from privacyIDEA's). */
export const TOKEN_REASONS = {
  shape: "send the token alone or as 'Bearer <token>'",
  refresh: 'this is a refresh token; send the access token from POST /api/login',
} as const;

/** The token string from the headers, or null when neither header holds one. */
export function tokenFromHeaders(headers: FastifyRequest['headers']): string | null {
  const value = firstNonEmpty(headers['pi-authorization']) ?? firstNonEmpty(headers.authorization);
  if (value === null) return null;
  const bearer = /^bearer(\s+|$)/i.exec(value);
  if (!bearer) return value;
  // "Bearer" and nothing after it: no token was sent.
  const token = value.slice(bearer[0].length).trim();
  return token === '' ? null : token;
}

function firstNonEmpty(header: string | string[] | undefined): string | null {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value ? value : null;
}

/** The user behind the request's token; throws a SystemHttpError (401) with privacyIDEA's code otherwise. */
export async function authenticate(deps: ApiDeps, request: FastifyRequest): Promise<ApiUser> {
  const token = tokenFromHeaders(request.headers);
  if (token === null) throw authError(AUTH_CODES.missingHeader, PI_AUTH_TEXTS.missingHeader);
  // A JWT has no whitespace or commas; the bearer parsing below would word such a header for /api's rules.
  if (/[\s,]/.test(token)) throw authError(AUTH_CODES.badToken, badTokenText(TOKEN_REASONS.shape));
  const header = `Bearer ${token}`;
  let verified: VerifiedToken;
  try {
    verified = deps.jwt.verifyBearerCached(header, 'access') ?? (await deps.jwt.verifyBearer(header, 'access'));
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    if (error.msg === JWT_MESSAGES.expired) throw authError(AUTH_CODES.expired, PI_AUTH_TEXTS.expired);
    throw authError(AUTH_CODES.badToken, badTokenText(error.msg === JWT_MESSAGES.onlyAccess ? TOKEN_REASONS.refresh : error.msg));
  }
  const admission = admitToken(deps, verified);
  if ('refusal' in admission) throw authError(AUTH_CODES.badToken, `Authentication failure. ${admission.refusal.text}`);
  return admission.user;
}

/** privacyIDEA's admin_required: 401 (not 403), with `detail: {}` as its audit-aware error handler sends. */
export function requireAdmin(user: ApiUser): void {
  if (user.role !== 'admin') throw authError(AUTH_CODES.wrongRole, PI_AUTH_TEXTS.wrongRole, {});
}

export const actorOf = (user: ApiUser, request: FastifyRequest): SystemActor => ({ user: user.name, role: user.role, address: request.ip });
