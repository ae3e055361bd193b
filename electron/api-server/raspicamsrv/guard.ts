/**
 * The check every protected /api endpoint runs, in flask-jwt-extended's order: token (verifyBearer:
 * header, signature, times, type), then revocation, then the user lookup (docs/compatibility.md §2.4).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JwtError, type TokenType, type VerifiedToken } from '../../jwt/jwt-service.js';
import type { ApiDeps, ApiUser } from '../api-deps.js';
import type { ApiHandler } from './routes.js';
import { precomputedJson, sendJson } from './flask-json.js';

export const AUTH_TEXTS = {
  revoked: 'Token has been revoked',
  passwordChangeRequired: 'Password change required. Please log in through UI!',
} as const;

/**
 * flask-jwt-extended's text when its user lookup finds nobody. Chosen for a deleted user (rather than
 * "Token has been revoked") because it is what a flask-jwt-extended server with user lookup says, and it
 * tells the client's operator the real reason. It names only the token's own subject.
 */
export const userNotFoundText = (sub: string): string => `Error loading the user ${sub}`;

const REVOKED_BODY = precomputedJson({ msg: AUTH_TEXTS.revoked });
export const PASSWORD_CHANGE_BODY = precomputedJson({ error: AUTH_TEXTS.passwordChangeRequired });

export interface ApiPrincipal {
  user: ApiUser;
  token: VerifiedToken;
}

export type GuardedHandler = (caller: ApiPrincipal, request: FastifyRequest, reply: FastifyReply) => void | Promise<void>;

/**
 * Wraps a handler that needs a token of the `expected` type; refusals are sent here, in flask-jwt-extended's
 * words. Usage: `guarded(deps, 'access', (caller, request, reply) => sendJson(reply, 200, …))`.
 *
 * Speed: a client reuses its token, so the token is almost always in JwtService's cache and the whole
 * request completes synchronously. Only a cache miss (first use of a token) goes through a promise.
 * Handlers return nothing rather than `reply`: Fastify treats a returned reply as a thenable and waits for
 * the response stream to finish, which costs a listener and a promise on every request.
 */
export function guarded(deps: ApiDeps, expected: TokenType, handle: GuardedHandler): ApiHandler {
  const admit = (token: VerifiedToken, request: FastifyRequest, reply: FastifyReply): void | Promise<void> => {
    const admission = admitToken(deps, token);
    if ('refusal' in admission) return sendJson(reply, admission.refusal.status, admission.refusal.body);
    return handle({ user: admission.user, token }, request, reply);
  };
  return (request, reply) => {
    const header = request.headers.authorization;
    let token: VerifiedToken | undefined;
    try {
      token = deps.jwt.verifyBearerCached(header, expected);
    } catch (error) {
      return refuseToken(error, reply);
    }
    if (token) return admit(token, request, reply);
    return deps.jwt.verifyBearer(header, expected).then(
      (verified) => admit(verified, request, reply),
      (error: unknown) => refuseToken(error, reply),
    );
  };
}

function refuseToken(error: unknown, reply: FastifyReply): void {
  if (!(error instanceof JwtError)) throw error; // → the JSON 500 handler
  sendJson(reply, error.status, { msg: error.msg });
}

/** Who a verified token admits, or why it is refused (flask-jwt-extended's text and JSON key). */
export type Admission = { user: ApiUser } | { refusal: { status: 401; body: Buffer; text: string } };

const REVOKED: Admission = { refusal: { status: 401, body: REVOKED_BODY, text: AUTH_TEXTS.revoked } };

/**
 * Revocation, then the per-request user lookup, then the initial-password check, then the user's token
 * cutoff (§2.4 #17–#20); marks the token used.
 */
export function admitToken(deps: ApiDeps, token: VerifiedToken): Admission {
  if (deps.tokens.isRevoked(token.jti, token.iat)) return REVOKED;
  const user = deps.users.get(token.sub);
  if (!user) {
    const text = userNotFoundText(token.sub);
    return { refusal: { status: 401, body: precomputedJson({ msg: text }), text } };
  }
  // An admin may have reset this user's password since the token was issued: same refusal as at login.
  if (user.initial) return { refusal: { status: 401, body: PASSWORD_CHANGE_BODY, text: AUTH_TEXTS.passwordChangeRequired } };
  if (issuedBeforeCutoff(deps, token)) return REVOKED;
  deps.tokens.markUsed(token.jti);
  return { user };
}

/**
 * A login token issued no later than the second of the user's last creation, password change or reset.
 * `iat` is whole seconds: a token of that same second may predate the change, so the tie is refused (and
 * /api/login waits for the next second before it mints: auth-routes.ts). Generated tokens are exempt:
 * they are listed and revoked one by one, and end with their owner's removal (§2.5).
 */
function issuedBeforeCutoff(deps: ApiDeps, token: VerifiedToken): boolean {
  const validFrom = deps.users.tokensValidFrom(token.sub);
  if (validFrom === null || token.iat > Math.floor(validFrom / 1000)) return false;
  return !deps.tokens.isGenerated(token.jti);
}
