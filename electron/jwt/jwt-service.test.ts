import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.js';
import { flaskClaims, forgeJwt, peekJwt } from '../test-support/jwt-forge.js';
import { JWT_MESSAGES, JwtError, JwtService } from './jwt-service.js';

const KEY = 'k'.repeat(43); // the length of raspiCamSrv's token_urlsafe() keys
const T0 = 1_738_957_751_000; // ms; the docs' example token was issued at this second

function makeClock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function service(lifetimes = { accessTokenMinutes: 60, refreshTokenDays: 30 }, clock = makeClock(), cacheSize?: number) {
  return new JwtService(KEY, lifetimes, { now: clock.now, ...(cacheSize ? { cacheSize } : {}) });
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; msg: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof JwtError) return { status: error.status, msg: error.msg };
    throw error;
  }
  throw new Error('token was accepted');
}

const bearer = (token: string) => `Bearer ${token}`;
const nowS = T0 / 1000;

describe('JwtService construction', () => {
  it('refuses a key under 32 bytes with DomainError invalid, without echoing the key', () => {
    const short = 's3cr3t-'.padEnd(31, 'x');
    expect(() => new JwtService(short, { accessTokenMinutes: 1, refreshTokenDays: 1 })).toThrow(DomainError);
    try {
      new JwtService(short, { accessTokenMinutes: 1, refreshTokenDays: 1 });
    } catch (error) {
      expect((error as DomainError).code).toBe('invalid');
      expect((error as Error).message).not.toContain(short);
    }
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(() => new JwtService('é'.repeat(16), { accessTokenMinutes: 1, refreshTokenDays: 1 })).not.toThrow();
    expect(() => new JwtService('é'.repeat(15) + 'a', { accessTokenMinutes: 1, refreshTokenDays: 1 })).toThrow(DomainError);
  });

  it('refuses negative or fractional lifetimes', () => {
    expect(() => new JwtService(KEY, { accessTokenMinutes: -1, refreshTokenDays: 1 })).toThrow(DomainError);
    expect(() => new JwtService(KEY, { accessTokenMinutes: 1, refreshTokenDays: 0.5 })).toThrow(DomainError);
  });

  it('never exposes the key through inspection or serialisation', () => {
    const jwt = service();
    expect(inspect(jwt, { showHidden: true, depth: 5 })).not.toContain(KEY);
    expect(JSON.stringify(jwt)).not.toContain(KEY);
  });
});

describe('signing', () => {
  it('writes flask-jwt-extended header and claim order exactly', async () => {
    const { token, jti, iat } = await service().signAccess('sn');
    const { headerJson, payload, payloadJson } = peekJwt(token);
    expect(headerJson).toBe('{"alg":"HS256","typ":"JWT"}');
    expect(Object.keys(payload as object)).toEqual(['fresh', 'iat', 'jti', 'type', 'sub', 'nbf', 'csrf', 'exp']);
    expect(payloadJson).toMatch(/^\{"fresh":false,"iat":1738957751,"jti":"[0-9a-f-]{36}","type":"access","sub":"sn","nbf":1738957751,"csrf":"[0-9a-f-]{36}","exp":1738961351\}$/);
    expect(iat).toBe(nowS);
    expect((payload as { jti: string }).jti).toBe(jti);
  });

  it('gives refresh tokens days and omits exp when a lifetime is 0 or neverExpires is asked', async () => {
    const jwt = service({ accessTokenMinutes: 0, refreshTokenDays: 2 });
    const refresh = peekJwt((await jwt.signRefresh('u')).token).payload as Record<string, unknown>;
    expect(refresh['type']).toBe('refresh');
    expect(refresh['exp']).toBe(nowS + 2 * 86_400);
    expect(peekJwt((await jwt.signAccess('u')).token).payload).not.toHaveProperty('exp');
    const forever = service({ accessTokenMinutes: 5, refreshTokenDays: 0 });
    expect(peekJwt((await forever.signRefresh('u')).token).payload).not.toHaveProperty('exp');
    expect(peekJwt((await forever.signAccess('u', { neverExpires: true, fresh: true })).token).payload).toMatchObject({ fresh: true });
    expect(peekJwt((await forever.signAccess('u', { neverExpires: true })).token).payload).not.toHaveProperty('exp');
  });

  it('round-trips and accepts a token raspiCamSrv minted with the same key', async () => {
    const jwt = service();
    const own = await jwt.signAccess('alice');
    expect(await jwt.verifyBearer(bearer(own.token), 'access')).toEqual({
      sub: 'alice', jti: own.jti, type: 'access', iat: nowS, exp: nowS + 3600, fresh: false,
    });
    const flask = forgeJwt({ alg: 'HS256', typ: 'JWT' }, flaskClaims('sn', nowS - 10), KEY);
    await expect(jwt.verifyBearer(bearer(flask), 'access')).resolves.toMatchObject({ sub: 'sn', iat: nowS - 10 });
  });
});

describe('verifyBearer: Authorization header variants (docs/compatibility.md §2.4)', () => {
  const cases: Array<[string | undefined, number, string]> = [
    [undefined, 401, JWT_MESSAGES.missingHeader],
    ['', 401, JWT_MESSAGES.missingHeader],
    ['  , ', 401, JWT_MESSAGES.missingHeader],
    ['Basic dXNlcjpwdw==', 401, JWT_MESSAGES.missingBearer],
    ['Token abc', 401, JWT_MESSAGES.missingBearer],
    ['bearer abc', 401, JWT_MESSAGES.missingBearer],
    ['Bearer a, Bearer b', 401, JWT_MESSAGES.missingBearer],
    ['Bearer', 422, JWT_MESSAGES.badHeader],
    ['Bearer   ', 422, JWT_MESSAGES.badHeader],
    ['Bearer a b', 422, JWT_MESSAGES.badHeader],
    ['Bearer abc', 422, JWT_MESSAGES.notEnoughSegments],
    ['Bearer a.b', 422, JWT_MESSAGES.notEnoughSegments],
    ['Bearer a.b.c', 422, JWT_MESSAGES.headerPadding],
    ['Bearer e30.e30.', 422, JWT_MESSAGES.algNotSpecified],
  ];
  it.each(cases)('%j → %i %s', async (header, status, msg) => {
    expect(await refusal(service().verifyBearer(header, 'access'))).toEqual({ status, msg });
  });

  it('reports an undecodable header as "Invalid header string: …"', async () => {
    const result = await refusal(service().verifyBearer('Bearer bm90IGpzb24.e30.sig', 'access'));
    expect(result.status).toBe(422);
    expect(result.msg.startsWith('Invalid header string: ')).toBe(true);
  });

  it('accepts a Bearer field among other comma-separated fields', async () => {
    const jwt = service();
    const { token } = await jwt.signAccess('u');
    await expect(jwt.verifyBearer(` Basic x, Bearer ${token} ,`, 'access')).resolves.toMatchObject({ sub: 'u' });
  });
});

describe('verifyBearer: attack table', () => {
  const head = { alg: 'HS256', typ: 'JWT' };
  const attacks: Array<[string, () => string, 'access' | 'refresh', number, string]> = [
    ['alg none', () => forgeJwt({ alg: 'none', typ: 'JWT' }, flaskClaims('u', nowS), KEY, 'none'), 'access', 422, JWT_MESSAGES.algNotAllowed],
    ['alg NONE signed', () => forgeJwt({ alg: 'NONE', typ: 'JWT' }, flaskClaims('u', nowS), KEY), 'access', 422, JWT_MESSAGES.algNotAllowed],
    ['HS512', () => forgeJwt({ alg: 'HS512', typ: 'JWT' }, flaskClaims('u', nowS), KEY, 'HS512'), 'access', 422, JWT_MESSAGES.algNotAllowed],
    ['wrong key', () => forgeJwt(head, flaskClaims('u', nowS), 'w'.repeat(43)), 'access', 422, JWT_MESSAGES.badSignature],
    ['tampered payload', () => {
      const [h, , s] = forgeJwt(head, flaskClaims('u', nowS), KEY).split('.');
      return `${h}.${Buffer.from(JSON.stringify(flaskClaims('admin', nowS))).toString('base64url')}.${s}`;
    }, 'access', 422, JWT_MESSAGES.badSignature],
    ['tampered and expired: signature first', () => {
      const [h, , s] = forgeJwt(head, flaskClaims('u', nowS), KEY).split('.');
      return `${h}.${Buffer.from(JSON.stringify(flaskClaims('u', nowS, { exp: 1 }))).toString('base64url')}.${s}`;
    }, 'access', 422, JWT_MESSAGES.badSignature],
    ['expired', () => forgeJwt(head, flaskClaims('u', nowS - 7200), KEY), 'access', 401, JWT_MESSAGES.expired],
    ['exp == now (leeway 0)', () => forgeJwt(head, flaskClaims('u', nowS - 60, { exp: nowS }), KEY), 'access', 401, JWT_MESSAGES.expired],
    ['nbf in the future', () => forgeJwt(head, flaskClaims('u', nowS, { nbf: nowS + 60 }), KEY), 'access', 422, JWT_MESSAGES.immatureNbf],
    ['iat in the future', () => forgeJwt(head, flaskClaims('u', nowS + 60), KEY), 'access', 422, JWT_MESSAGES.immatureIat],
    ['exp not an integer', () => forgeJwt(head, flaskClaims('u', nowS, { exp: 'soon' }), KEY), 'access', 422, JWT_MESSAGES.expNotInteger],
    ['refresh as access', () => forgeJwt(head, flaskClaims('u', nowS, { type: 'refresh' }), KEY), 'access', 422, JWT_MESSAGES.onlyAccess],
    ['access as refresh', () => forgeJwt(head, flaskClaims('u', nowS), KEY), 'refresh', 422, JWT_MESSAGES.onlyRefresh],
    ['no type as refresh', () => forgeJwt(head, flaskClaims('u', nowS, { type: undefined }), KEY), 'refresh', 422, JWT_MESSAGES.onlyRefresh],
    ['sub missing', () => forgeJwt(head, flaskClaims('u', nowS, { sub: undefined }), KEY), 'access', 422, JWT_MESSAGES.missingSub],
    ['sub a number', () => forgeJwt(head, flaskClaims('u', nowS, { sub: 42 }), KEY), 'access', 422, JWT_MESSAGES.subjectNotString],
    ['sub null', () => forgeJwt(head, flaskClaims('u', nowS, { sub: null }), KEY), 'access', 422, JWT_MESSAGES.subjectNotString],
  ];
  it.each(attacks)('%s → refused', async (_name, make, expected, status, msg) => {
    expect(await refusal(service().verifyBearer(bearer(make()), expected))).toEqual({ status, msg });
  });

  it('a payload that is not a JSON object is refused after the signature check', async () => {
    const input = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('[1]').toString('base64url')}`;
    const signed = `${input}.${createHmac('sha256', KEY).update(input).digest('base64url')}`;
    expect(await refusal(service().verifyBearer(bearer(signed), 'access'))).toEqual({
      status: 422, msg: 'Invalid payload string: must be a json object',
    });
  });

  it('a token without exp never expires; missing iat counts as 0', async () => {
    const token = forgeJwt({ alg: 'HS256', typ: 'JWT' }, flaskClaims('u', nowS, { exp: undefined, iat: undefined }), KEY);
    await expect(service().verifyBearer(bearer(token), 'access')).resolves.toMatchObject({ iat: 0, exp: null });
  });
});

describe('verify cache', () => {
  it('re-checks expiry on a cache hit', async () => {
    const clock = makeClock();
    const jwt = service({ accessTokenMinutes: 1, refreshTokenDays: 1 }, clock);
    const { token } = await jwt.signAccess('u');
    await expect(jwt.verifyBearer(bearer(token), 'access')).resolves.toMatchObject({ sub: 'u' });
    clock.advance(59_999);
    await expect(jwt.verifyBearer(bearer(token), 'access')).resolves.toMatchObject({ sub: 'u' });
    clock.advance(1);
    expect(await refusal(jwt.verifyBearer(bearer(token), 'access'))).toEqual({ status: 401, msg: JWT_MESSAGES.expired });
  });

  it('re-checks nbf and the expected type on a cache hit', async () => {
    const clock = makeClock();
    const jwt = service(undefined, clock);
    const early = forgeJwt({ alg: 'HS256', typ: 'JWT' }, flaskClaims('u', nowS, { nbf: nowS + 5 }), KEY);
    expect((await refusal(jwt.verifyBearer(bearer(early), 'access'))).msg).toBe(JWT_MESSAGES.immatureNbf);
    clock.advance(5_000);
    await expect(jwt.verifyBearer(bearer(early), 'access')).resolves.toMatchObject({ sub: 'u' });
    expect((await refusal(jwt.verifyBearer(bearer(early), 'refresh'))).msg).toBe(JWT_MESSAGES.onlyRefresh);
  });

  it('is bounded and never holds forged tokens', async () => {
    const jwt = service(undefined, makeClock(), 2);
    for (const sub of ['a', 'b', 'c']) await jwt.signAccess(sub);
    expect(jwt.cachedTokenCount).toBe(2);
    await refusal(jwt.verifyBearer(bearer(forgeJwt({ alg: 'HS256' }, flaskClaims('x', nowS), 'z'.repeat(40))), 'access'));
    expect(jwt.cachedTokenCount).toBe(2);
  });

  it('belongs to one key: another service does not accept the token', async () => {
    const { token } = await service().signAccess('u');
    const other = new JwtService('o'.repeat(43), { accessTokenMinutes: 60, refreshTokenDays: 0 }, { now: () => T0 });
    expect(await refusal(other.verifyBearer(bearer(token), 'access'))).toEqual({ status: 422, msg: JWT_MESSAGES.badSignature });
  });
});
