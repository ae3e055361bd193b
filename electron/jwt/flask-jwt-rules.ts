/**
 * flask-jwt-extended + PyJWT behaviour, reproduced check by check so that raspiCamSrv clients see the same
 * status codes and `msg` texts (docs/compatibility.md §2.4). The order of the checks is part of the wire
 * contract: e.g. a tampered *and* expired token must say "Signature verification failed", not "Token has expired".
 * Everything here is pure and synchronous; the signature itself is checked by JwtService with jose.
 */

export type TokenType = 'access' | 'refresh';

/** A refused token: `status` and `msg` go to the client verbatim as `{"msg": …}`. */
export class JwtError extends Error {
  constructor(
    readonly status: 401 | 422,
    readonly msg: string,
  ) {
    super(msg);
    this.name = 'JwtError';
  }
}

export const JWT_MESSAGES = {
  missingHeader: 'Missing Authorization Header',
  missingBearer: "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'",
  badHeader: "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'",
  notEnoughSegments: 'Not enough segments',
  headerPadding: 'Invalid header padding',
  payloadPadding: 'Invalid payload padding',
  algNotSpecified: 'Algorithm not specified',
  algNotAllowed: 'The specified alg value is not allowed',
  badSignature: 'Signature verification failed',
  expired: 'Token has expired',
  immatureIat: 'The token is not yet valid (iat)',
  immatureNbf: 'The token is not yet valid (nbf)',
  iatNotInteger: 'Issued At claim (iat) must be an integer.',
  nbfNotInteger: 'Not Before claim (nbf) must be an integer.',
  expNotInteger: 'Expiration Time claim (exp) must be an integer.',
  subjectNotString: 'Subject must be a string',
  jtiNotString: 'JWT ID must be a string',
  missingSub: 'Missing claim: sub',
  onlyAccess: 'Only non-refresh tokens are allowed',
  onlyRefresh: 'Only refresh tokens are allowed',
} as const;

/**
 * flask-jwt-extended `_decode_jwt_from_headers`: strip whitespace then commas, split the field list on
 * commas, exactly one field must start with the word "Bearer", and that field must have exactly two words.
 */
export function extractBearerToken(header: string | undefined): string {
  const value = (header ?? '').trim().replace(/^,+|,+$/g, '');
  if (value === '') throw new JwtError(401, JWT_MESSAGES.missingHeader);
  // Fast path for the well-formed header every client sends.
  if (value.startsWith('Bearer ') && !/[\s,]/.test(value.slice(7))) return value.slice(7);
  const bearerFields = value.split(/,\s*/).filter((field) => words(field)[0] === 'Bearer');
  if (bearerFields.length !== 1) throw new JwtError(401, JWT_MESSAGES.missingBearer);
  const parts = words(bearerFields[0] ?? '');
  if (parts.length !== 2 || parts[1] === undefined) throw new JwtError(422, JWT_MESSAGES.badHeader);
  return parts[1];
}

/** Python's `str.split()` without arguments: runs of whitespace, no empty parts. */
function words(text: string): string[] {
  return text.split(/\s+/).filter((part) => part !== '');
}

export interface TokenSegments {
  header: Record<string, unknown>;
  payloadSegment: string;
}

/**
 * PyJWT `_load`: split at the first and the last dot, decode the header (padding, then JSON object).
 * The payload is only decoded after the signature has been checked, as PyJWT does.
 */
export function splitToken(token: string): TokenSegments {
  const lastDot = token.lastIndexOf('.');
  const firstDot = token.indexOf('.');
  if (lastDot < 0 || firstDot === lastDot) throw new JwtError(422, JWT_MESSAGES.notEnoughSegments);
  const headerBytes = decodeBase64UrlLenient(token.slice(0, firstDot));
  if (headerBytes === null) throw new JwtError(422, JWT_MESSAGES.headerPadding);
  const header = parseJsonObject(headerBytes, 'Invalid header string');
  return { header, payloadSegment: token.slice(firstDot + 1, lastDot) };
}

/** PyJWT `_verify_signature`, first half: the alg must be named and be on the allowlist (HS256 only). */
export function checkAlgorithm(header: Record<string, unknown>): void {
  if (!Object.hasOwn(header, 'alg')) throw new JwtError(422, JWT_MESSAGES.algNotSpecified);
  if (header['alg'] !== 'HS256') throw new JwtError(422, JWT_MESSAGES.algNotAllowed);
}

/** PyJWT `_decode_payload`. */
export function decodePayload(payloadSegment: string): Record<string, unknown> {
  const bytes = decodeBase64UrlLenient(payloadSegment);
  if (bytes === null) throw new JwtError(422, JWT_MESSAGES.payloadPadding);
  return parseJsonObject(bytes, 'Invalid payload string');
}

/**
 * Python's non-validating urlsafe_b64decode after PyJWT re-pads: characters outside the alphabet are
 * skipped; a data length of 4n+1 cannot be decoded. null = "Invalid … padding".
 */
function decodeBase64UrlLenient(segment: string): Buffer | null {
  const data = segment.replace(/[^A-Za-z0-9+/_-]/g, '');
  if (data.length % 4 === 1) return null;
  return Buffer.from(data.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function parseJsonObject(bytes: Buffer, prefix: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(strictUtf8.decode(bytes));
  } catch {
    // Python's json module words its errors differently; the prefix is what clients match on. Never V8's
    // message: it quotes the input, and nothing a client sent is echoed (docs/compatibility.md §3.1).
    throw new JwtError(422, `${prefix}: not valid UTF-8 JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new JwtError(422, `${prefix}: must be a json object`);
  }
  return parsed as Record<string, unknown>;
}

/** The claims a caller may rely on once a token passed every check. */
export interface VerifiedToken {
  sub: string;
  /** '' when the token has no jti (flask-jwt-extended accepts that; CamPanel always sets one). */
  jti: string;
  type: TokenType;
  /** 0 when the token has no iat, so that a key rotation revokes it (see TokenRegistry.isRevoked). */
  iat: number;
  exp: number | null;
  fresh: boolean;
}

/**
 * PyJWT `_validate_claims` (iat, nbf, exp with leeway 0, sub and jti types), then flask-jwt-extended's
 * identity claim and token type checks, in that order. Run on every request, cached or not, because the
 * time checks depend on `nowSeconds` and the type check on the endpoint.
 */
export function checkClaims(claims: Readonly<Record<string, unknown>>, nowSeconds: number, expected: TokenType): VerifiedToken {
  const iat = integerClaim(claims, 'iat', JWT_MESSAGES.iatNotInteger);
  if (iat !== undefined && iat > nowSeconds) throw new JwtError(422, JWT_MESSAGES.immatureIat);
  const nbf = integerClaim(claims, 'nbf', JWT_MESSAGES.nbfNotInteger);
  if (nbf !== undefined && nbf > nowSeconds) throw new JwtError(422, JWT_MESSAGES.immatureNbf);
  const exp = integerClaim(claims, 'exp', JWT_MESSAGES.expNotInteger);
  if (exp !== undefined && exp <= nowSeconds) throw new JwtError(401, JWT_MESSAGES.expired);

  const sub = claims['sub'];
  const hasSub = Object.hasOwn(claims, 'sub');
  if (hasSub && typeof sub !== 'string') throw new JwtError(422, JWT_MESSAGES.subjectNotString);
  const jti = claims['jti'];
  if (Object.hasOwn(claims, 'jti') && typeof jti !== 'string') throw new JwtError(422, JWT_MESSAGES.jtiNotString);
  if (!hasSub || typeof sub !== 'string') throw new JwtError(422, JWT_MESSAGES.missingSub);

  // flask-jwt-extended treats a token without "type" as an access token; any type but "refresh" passes as access.
  const isRefresh = claims['type'] === 'refresh';
  if (expected === 'access' && isRefresh) throw new JwtError(422, JWT_MESSAGES.onlyAccess);
  if (expected === 'refresh' && !isRefresh) throw new JwtError(422, JWT_MESSAGES.onlyRefresh);

  const fresh = claims['fresh'];
  return {
    sub,
    jti: typeof jti === 'string' ? jti : '',
    type: isRefresh ? 'refresh' : 'access',
    iat: iat ?? 0,
    exp: exp ?? null,
    // flask-jwt-extended: fresh is a boolean or a timestamp until which the token counts as fresh.
    fresh: fresh === true || (typeof fresh === 'number' && fresh > nowSeconds),
  };
}

/** Python `int(value)`: booleans, numbers (truncated) and integer strings; anything else is refused. */
function integerClaim(claims: Readonly<Record<string, unknown>>, name: string, message: string): number | undefined {
  if (!Object.hasOwn(claims, name)) return undefined;
  const value = claims[name];
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  throw new JwtError(422, message);
}
