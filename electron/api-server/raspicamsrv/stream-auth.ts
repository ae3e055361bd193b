/**
 * Who may open a stream or take a snapshot (docs/compatibility.md §5). Home Assistant, OctoPrint and
 * browsers cannot send a bearer token, so besides `Authorization: Bearer <JWT>` a `?token=<access token>`
 * query parameter and HTTP Basic with a CamPanel user's credentials are accepted. A refusal is a 401 with
 * `WWW-Authenticate: Basic`, never a redirect to a login page (which is how raspiCamSrv breaks them).
 *
 * Basic credentials cost a scrypt hash (~90 ms): a client polling snapshots must not pay it per request,
 * so a successful check is remembered for the connection and, by a hash of the header, for a minute.
 * Failures are never remembered and count against the login limiter like /api/login's.
 */
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { LIMITS } from '../../../shared/domain.js';
import { JwtError, type VerifiedToken } from '../../jwt/jwt-service.js';
import type { ApiDeps } from '../api-deps.js';
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

export class StreamAuth {
  readonly #deps: ApiDeps;
  readonly #byConnection = new WeakMap<Socket, { digest: string; user: string }>();
  readonly #recent = new Map<string, { user: string; until: number }>();

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
    const cached = known?.digest === digest ? known.user : this.#fromRecent(digest, now);
    if (cached !== null && this.#usable(cached)) return { ok: true, user: cached };

    const credentials = decodeBasic(header);
    if (!credentials) return refuse(STREAM_AUTH_TEXTS.malformedBasic);
    const { name, password } = credentials;
    // No such user can exist, and hashing a huge password would only burn CPU (as /api/login refuses it).
    if (name.length > LIMITS.userName || password.length > LIMITS.password) return refuse(STREAM_AUTH_TEXTS.badBasic);
    const attempt = await this.#deps.limiter.attempt(name, request.ip, () => this.#deps.users.verifyPassword(name, password));
    if (attempt.outcome === 'limited') {
      const seconds = Math.max(1, Math.ceil(attempt.retryAfterMs / 1000));
      return { ok: false, status: 429, message: `Too many failed login attempts. Try again in ${seconds} seconds.`, retryAfterSeconds: seconds };
    }
    if (attempt.outcome === 'wrong') return refuse(STREAM_AUTH_TEXTS.badBasic);
    if (attempt.value.initial) return refuse('Password change required. Please log in through UI!');
    this.#remember(socket, digest, attempt.value.name, now);
    return { ok: true, user: attempt.value.name };
  }

  /** The user still exists and may use the API (removal or a password reset ends a cached admission). */
  #usable(name: string): boolean {
    const user = this.#deps.users.get(name);
    return user !== null && !user.initial;
  }

  #fromRecent(digest: string, now: number): string | null {
    const entry = this.#recent.get(digest);
    if (!entry) return null;
    if (entry.until < now) {
      this.#recent.delete(digest);
      return null;
    }
    return entry.user;
  }

  #remember(socket: Socket, digest: string, user: string, now: number): void {
    this.#byConnection.set(socket, { digest, user });
    if (this.#recent.size >= BASIC_CACHE_ENTRIES) this.#recent.clear();
    this.#recent.set(digest, { user, until: now + BASIC_CACHE_MS });
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
