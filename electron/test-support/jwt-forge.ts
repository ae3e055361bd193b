/**
 * Test helper: hand-made JWTs for the attack table (alg none, HS512, tampered, odd claims).
 * Built with node:crypto on purpose, independently of jose and of JwtService, so a bug shared by
 * signer and verifier cannot hide.
 */
import { createHmac } from 'node:crypto';

const b64url = (text: string | Buffer): string => Buffer.from(text).toString('base64url');

export type ForgeAlg = 'HS256' | 'HS384' | 'HS512' | 'none';

/** A compact JWT with exactly this header and payload JSON. `alg: none` gets an empty signature. */
export function forgeJwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: string, alg: ForgeAlg = 'HS256'): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  if (alg === 'none') return `${input}.`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  return `${input}.${createHmac(hash, Buffer.from(key, 'utf8')).update(input).digest('base64url')}`;
}

/** flask-jwt-extended's claims for `sub`, with overrides (undefined removes a claim). */
export function flaskClaims(sub: string, nowSeconds: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    fresh: false,
    iat: nowSeconds,
    jti: 'a1b2c3d4-0000-4000-8000-000000000001',
    type: 'access',
    sub,
    nbf: nowSeconds,
    csrf: 'c5d6e7f8-0000-4000-8000-000000000002',
    exp: nowSeconds + 3600,
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete claims[name];
    else claims[name] = value;
  }
  return claims;
}

/** Decodes a token's header and payload without checking anything. */
export function peekJwt(token: string): { header: unknown; payload: unknown; headerJson: string; payloadJson: string } {
  const [h = '', p = ''] = token.split('.');
  const headerJson = Buffer.from(h, 'base64url').toString('utf8');
  const payloadJson = Buffer.from(p, 'base64url').toString('utf8');
  return { header: JSON.parse(headerJson), payload: JSON.parse(payloadJson), headerJson, payloadJson };
}
