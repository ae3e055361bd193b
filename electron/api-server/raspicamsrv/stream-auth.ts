/**
 * Who may open a stream or take a snapshot (docs/compatibility.md §5). Home Assistant, OctoPrint and
 * browsers cannot send a bearer token, so besides `Authorization: Bearer <JWT>` a `?token=<access token>`
 * query parameter and HTTP Basic with a CamPanel user's credentials are accepted. A refusal is a 401 with
 * `WWW-Authenticate: Basic`, never a redirect to a login page (which is how raspiCamSrv breaks them).
 *
 * Basic credentials cost a scrypt hash (~90 ms): a client polling snapshots must not pay it per request,
 * so a successful check is remembered for the connection and, by a hash of the header, for a minute, until
 * the user's password changes. Failures are never remembered, count against the network login limiter like
 * /api/login's, and are logged the same way.
 */
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { LIMITS } from '../../../shared/domain.js';
import { JwtError, type VerifiedToken } from '../../jwt/jwt-service.js';
import type { LoginFailureReason } from '../../users/login-failure-log.js';
import type { ApiDeps } from '../api-deps.js';
import { tooManyAttemptsText } from './auth-routes.js';
import { admitToken } from './guard.js';

export const BASIC_CACHE_MS = 60_000;
const BASIC_CACHE_ENTRIES = 1000;
export const WWW_AUTHENTICATE = 'Basic realm="CamPanel", charset="UTF-8"';

export const STREAM_AUTH_TEXTS = {
  missing: 'Authentication required: send HTTP Basic credentials, a ?token= access token, or an Authorization: Bearer token',
  badBasic: 'Invalid username or password',
  malformedBasic: 'Malformed Basic credentials',
} as const;

export type StreamAuthResult =
  | { ok: true; user: string | null }
  | { ok: false; status: 401 | 429; message: string; retryAfterSeconds?: number };

interface Admitted {
  digest: string;
  user: string;
  validFrom: number | null;
}

export class StreamAuth {
  readonly #deps: ApiDeps;
  /** `validFrom`: the user's tokensValidFrom when the password was checked; a change since ends the admission. */
  readonly #byConnection = new WeakMap<Socket, Admitted>();
  readonly #recent = new Map<string, Admitted & { until: number }>();

  constructor(deps: ApiDeps) {
    this.#deps = deps;
  }

  async check(request: FastifyRequest): Promise<StreamAuthResult> {
    if (this.#deps.streamAuthRequired && !this.#deps.streamAuthRequired()) return { ok: true, user: null };
    const header = request.headers.authorization;
    const query = tokenParameter(request.url);
    if (header?.toLowerCase().startsWith('basic ')) return this.#basic(request, header);
    if (header !== undefined) return this.#jwt(header);
    if (query !== null) return this.#jwt(`Bearer ${query}`);
    return refuse(STREAM_AUTH_TEXTS.missing);
  }

  async #jwt(header: string): Promise<StreamAuthResult> {
    let token: VerifiedToken;
    try {
      token = this.#deps.jwt.verifyBearerCached(header, 'access') ?? (await this.#deps.jwt.verifyBearer(header, 'access'));
    } catch (error) {
      if (error instanceof JwtError) return refuse(error.msg);
      throw error;
    }
    const admission = admitToken(this.#deps, token);
    return 'refusal' in admission ? refuse(admission.refusal.text) : { ok: true, user: admission.user.name };
  }

  async #basic(request: FastifyRequest, header: string): Promise<StreamAuthResult> {
    const digest = createHash('sha256').update(header).digest('base64');
    const socket = request.raw.socket;
    const known = this.#byConnection.get(socket);
    const now = Date.now();
    const cached = known?.digest === digest ? known : this.#fromRecent(digest, now);
    if (cached !== null && this.#usable(cached)) return { ok: true, user: cached.user };

    const credentials = decodeBasic(header);
    const failed = (user: string, reason: LoginFailureReason) =>
      this.#deps.loginFailures?.record({ user, address: request.ip, reason, via: 'stream-basic' });
    if (!credentials) {
      failed('', 'malformed credentials');
      return refuse(STREAM_AUTH_TEXTS.malformedBasic);
    }
    const { name, password } = credentials;
    // No such user can exist, and hashing a huge password would only burn CPU (as /api/login refuses it).
    if (name.length > LIMITS.userName || password.length > LIMITS.password) {
      failed(name, 'name or password too long');
      return refuse(STREAM_AUTH_TEXTS.badBasic);
    }
    const validFrom = this.#deps.users.tokensValidFrom(name);
    const attempt = await this.#deps.limiter.attempt(name, request.ip, () => this.#deps.users.verifyPassword(name, password));
    if (attempt.outcome === 'limited') {
      failed(name, 'too many failures');
      const seconds = Math.max(1, Math.ceil(attempt.retryAfterMs / 1000));
      return { ok: false, status: 429, message: tooManyAttemptsText(seconds), retryAfterSeconds: seconds };
    }
    if (attempt.outcome === 'wrong') {
      failed(name, this.#deps.users.get(name) ? 'wrong password' : 'unknown user');
      return refuse(STREAM_AUTH_TEXTS.badBasic);
    }
    if (attempt.value.initial) {
      failed(name, 'password change required');
      return refuse('Password change required. Please log in through UI!');
    }
    const admitted = { digest, user: attempt.value.name, validFrom };
    // The password changed while it was being checked: the old one may have been checked. Not admitted.
    if (!this.#usable(admitted)) {
      failed(name, 'wrong password');
      return refuse(STREAM_AUTH_TEXTS.badBasic);
    }
    this.#remember(socket, admitted, now);
    return { ok: true, user: attempt.value.name };
  }

  /**
   * The user still exists, may use the API, and has not changed (or been given) a password since the
   * cached check began: removal, a reset or a change ends a cached admission.
   */
  #usable(admitted: Admitted): boolean {
    const user = this.#deps.users.get(admitted.user);
    return user !== null && !user.initial && this.#deps.users.tokensValidFrom(admitted.user) === admitted.validFrom;
  }

  #fromRecent(digest: string, now: number): Admitted | null {
    const entry = this.#recent.get(digest);
    if (!entry) return null;
    if (entry.until < now) {
      this.#recent.delete(digest);
      return null;
    }
    return entry;
  }

  #remember(socket: Socket, admitted: Admitted, now: number): void {
    this.#byConnection.set(socket, admitted);
    if (this.#recent.size >= BASIC_CACHE_ENTRIES) this.#recent.clear();
    this.#recent.set(admitted.digest, { ...admitted, until: now + BASIC_CACHE_MS });
  }
}

const refuse = (message: string): StreamAuthResult => ({ ok: false, status: 401, message });

/** The `token` query parameter, or null. */
export function tokenParameter(url: string): string | null {
  const query = url.indexOf('?');
  if (query < 0) return null;
  const value = new URLSearchParams(url.slice(query + 1)).get('token');
  return value === null || value === '' ? null : value;
}

/** RFC 7617: base64 of "name:password" (the password may contain colons). */
export function decodeBasic(header: string): { name: string; password: string } | null {
  const encoded = header.slice(6).trim();
  if (encoded === '' || !/^[A-Za-z0-9+/]+=*$/.test(encoded)) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
