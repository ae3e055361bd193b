/**
 * Signs and verifies raspiCamSrv-compatible JWTs (flask-jwt-extended's claim layout, HS256 only).
 *
 * One service = one key. The key is the secrets file's string used as UTF-8 bytes, exactly as
 * flask-jwt-extended uses it, so tokens minted by raspiCamSrv with the same file keep working.
 * It is imported once as a non-extractable WebCrypto key and kept in a private field: it cannot be
 * read back, logged or serialised from this object.
 */
import { randomUUID, webcrypto } from 'node:crypto';
import { SignJWT, compactVerify } from 'jose';
import { DomainError } from '../core/errors.js';
import {
  JWT_MESSAGES,
  JwtError,
  checkAlgorithm,
  checkClaims,
  decodePayload,
  extractBearerToken,
  splitToken,
  type TokenType,
  type VerifiedToken,
} from './flask-jwt-rules.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

export { JwtError, JWT_MESSAGES, type TokenType, type VerifiedToken } from './flask-jwt-rules.js';

export const MIN_KEY_BYTES = 32;
export const DEFAULT_VERIFY_CACHE_SIZE = 10_000;

export interface JwtLifetimes {
  /** 0 = access tokens without `exp` (docs/compatibility.md §1). */
  accessTokenMinutes: number;
  /** 0 = refresh tokens without `exp`. */
  refreshTokenDays: number;
}

export interface JwtServiceOptions {
  /** Clock in milliseconds; tests pass a fake one. */
  now?: () => number;
  /** Entries of the verified-token cache. */
  cacheSize?: number;
}

export interface SignedToken {
  token: string;
  jti: string;
  /** Seconds since the epoch, as in the token. */
  iat: number;
}

export class JwtService {
  readonly #key: Promise<webcrypto.CryptoKey>;
  readonly #accessSeconds: number | null;
  readonly #refreshSeconds: number | null;
  readonly #now: () => number;
  /**
   * Tokens whose signature has been verified with this key. jose's verify costs ~150 µs (WebCrypto) while
   * clients reuse one token for many requests: verifying once per token instead of once per request is what
   * lets the API keep up. Only correctly signed tokens get in, so forged tokens cannot evict good entries.
   */
  readonly #verified: VerifiedTokenCache;

  constructor(key: string, lifetimes: JwtLifetimes, options: JwtServiceOptions = {}) {
    const keyBytes = new TextEncoder().encode(key);
    if (keyBytes.length < MIN_KEY_BYTES) {
      throw new DomainError(
        'invalid',
        `The JWT secret key is ${keyBytes.length} bytes long; at least ${MIN_KEY_BYTES} bytes are required`,
      );
    }
    this.#accessSeconds = lifetimeSeconds(lifetimes.accessTokenMinutes, 60, 'accessTokenMinutes');
    this.#refreshSeconds = lifetimeSeconds(lifetimes.refreshTokenDays, 86_400, 'refreshTokenDays');
    this.#now = options.now ?? Date.now;
    this.#verified = new VerifiedTokenCache(Math.max(1, options.cacheSize ?? DEFAULT_VERIFY_CACHE_SIZE));
    this.#key = webcrypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    // Surface an import failure at first use, not as an unhandled rejection now.
    this.#key.catch(() => undefined);
  }

  /** An access token; `neverExpires` is for "Generate Access Token" (docs/compatibility.md §1, §2.5). */
  signAccess(sub: string, opts: { neverExpires?: boolean; fresh?: boolean } = {}): Promise<SignedToken> {
    return this.#sign(sub, 'access', opts.neverExpires ? null : this.#accessSeconds, opts.fresh ?? false);
  }

  signRefresh(sub: string): Promise<SignedToken> {
    return this.#sign(sub, 'refresh', this.#refreshSeconds, false);
  }

  /**
   * Checks an `Authorization` header value the way flask-jwt-extended does and returns the token's claims.
   * Throws JwtError (status + msg for the client) when the token is refused. Revocation and user lookup
   * are the caller's job: they need state this service does not own.
   */
  async verifyBearer(authorizationHeader: string | undefined, expected: TokenType): Promise<VerifiedToken> {
    const cached = this.verifyBearerCached(authorizationHeader, expected);
    if (cached) return cached;
    const token = extractBearerToken(authorizationHeader);
    const claims = await this.#verifySignature(token);
    this.#remember(token, claims);
    return checkClaims(claims, this.#nowSeconds(), expected);
  }

  /**
   * The synchronous fast path of verifyBearer: the same answer for a token this service has verified
   * (or signed) before, `undefined` when the token is not in the cache and needs verifyBearer.
   * The API calls this first so that the common request completes without any promise.
   */
  verifyBearerCached(authorizationHeader: string | undefined, expected: TokenType): VerifiedToken | undefined {
    // The header every client sends is exactly "Bearer <token>". Cached tokens never contain whitespace or
    // commas (extractBearerToken cannot return such a token, and jose never produces one), so for a hit on
    // that form the full flask-jwt-extended parsing would give the same token: skip its regular expressions.
    let token = authorizationHeader?.startsWith('Bearer ') ? authorizationHeader.slice(7) : '';
    let cached = this.#verified.get(token);
    if (cached === undefined) {
      token = extractBearerToken(authorizationHeader);
      cached = this.#verified.get(token);
      if (cached === undefined) return undefined;
    }
    return checkClaims(cached, this.#nowSeconds(), expected);
  }

  /** Number of tokens in the verify cache (for tests and diagnostics). */
  get cachedTokenCount(): number {
    return this.#verified.size;
  }

  async #verifySignature(token: string): Promise<Readonly<Record<string, unknown>>> {
    const { header, payloadSegment } = splitToken(token);
    checkAlgorithm(header);
    try {
      // HS256 pinned here too, so jose itself refuses anything else even if the check above changed.
      await compactVerify(token, await this.#key, { algorithms: ['HS256'] });
    } catch {
      // jose reports malformed signatures, unsupported `crit` headers and wrong MACs alike; PyJWT
      // would refuse all of them at the same step with this text.
      throw new JwtError(422, JWT_MESSAGES.badSignature);
    }
    return Object.freeze(decodePayload(payloadSegment));
  }

  async #sign(sub: string, type: TokenType, lifetime: number | null, fresh: boolean): Promise<SignedToken> {
    if (typeof sub !== 'string' || sub === '') throw new DomainError('invalid', 'A token needs a subject (user name)');
    const iat = Math.floor(this.#now() / 1000);
    const jti = randomUUID();
    // Insertion order is the wire order of flask-jwt-extended: fresh, iat, jti, type, sub, nbf, csrf, exp.
    // csrf is always present there (JWT_COOKIE_CSRF_PROTECT defaults to true) although header tokens never use it.
    const claims: Record<string, unknown> = { fresh, iat, jti, type, sub, nbf: iat, csrf: randomUUID() };
    if (lifetime !== null) claims['exp'] = iat + lifetime;
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(await this.#key);
    // We just signed it: the first request with this token need not pay for a verification.
    this.#remember(token, Object.freeze(claims));
    return { token, jti, iat };
  }

  #remember(token: string, claims: Readonly<Record<string, unknown>>): void {
    this.#verified.set(token, claims);
  }

  #nowSeconds(): number {
    // PyJWT compares integer claims with a float "now": a token expires at exactly exp.000.
    return this.#now() / 1000;
  }
}

function lifetimeSeconds(value: number, unitSeconds: number, name: string): number | null {
  if (!Number.isInteger(value) || value < 0) throw new DomainError('invalid', `${name} must be a whole number ≥ 0`);
  return value === 0 ? null : value * unitSeconds;
}
