/** Protected endpoints through real HTTP: the JWT attack table, header variants, revocation, user lookup. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors.js';
import { JwtService } from '../../jwt/jwt-service.js';
import { hashPassword } from '../../users/password.js';
import { UserStore } from '../../users/user-store.js';
import { flaskClaims, forgeJwt } from '../../test-support/jwt-forge.js';
import { PASSWORDS, TEST_KEY, bearer, http, loginTokens, makeWorld, serverPool, type World } from '../../test-support/api-test-kit.js';

let world: World;
const pool = serverPool();
beforeAll(async () => {
  world = await makeWorld();
});
afterEach(() => pool.stopAll());
afterAll(() => world.cleanUp());

const nowS = () => Math.floor(Date.now() / 1000);

/** Resolves once the clock is in a later second than `instant` (ms). */
async function afterSecondOf(instant: number | null): Promise<void> {
  if (instant === null) return;
  const wait = (Math.floor(instant / 1000) + 1) * 1000 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 5));
}
const head = { alg: 'HS256', typ: 'JWT' };
const msg = (text: string) => `{"msg":${JSON.stringify(text)}}\n`;

describe('GET /api/protected and POST /api/refresh', () => {
  it('answers a valid access token byte for byte like raspiCamSrv', async () => {
    const { baseUrl } = await pool.start(world);
    const { access_token } = await loginTokens(baseUrl, 'bob', PASSWORDS.bob);
    const result = await http(baseUrl, 'GET', '/api/protected', { headers: bearer(access_token) });
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe('application/json');
    expect(result.body).toBe('{"message":"Hello, bob! You accessed a protected route."}\n');
  });

  it('refresh gives a new non-fresh access token for the same user and does not rotate the refresh token', async () => {
    const { baseUrl, deps } = await pool.start(world);
    const { refresh_token } = await loginTokens(baseUrl, 'bob', PASSWORDS.bob);
    const first = await http(baseUrl, 'POST', '/api/refresh', { headers: bearer(refresh_token ?? '') });
    expect(first.status).toBe(200);
    expect(first.body).toMatch(/^\{"access_token":"[\w-]+\.[\w-]+\.[\w-]+"\}\n$/);
    const access = (JSON.parse(first.body) as { access_token: string }).access_token;
    await expect(deps.jwt.verifyBearer(`Bearer ${access}`, 'access')).resolves.toMatchObject({ sub: 'bob', fresh: false });
    expect((await http(baseUrl, 'POST', '/api/refresh', { headers: bearer(refresh_token ?? '') })).status).toBe(200);
  });
});

describe('JWT attack table over HTTP', () => {
  const s = () => nowS();
  const cases: Array<[string, () => string, 'GET /api/protected' | 'POST /api/refresh', number, string]> = [
    ['alg none', () => forgeJwt({ alg: 'none', typ: 'JWT' }, flaskClaims('bob', s()), TEST_KEY, 'none'), 'GET /api/protected', 422, 'The specified alg value is not allowed'],
    ['HS512-signed', () => forgeJwt({ alg: 'HS512', typ: 'JWT' }, flaskClaims('bob', s()), TEST_KEY, 'HS512'), 'GET /api/protected', 422, 'The specified alg value is not allowed'],
    ['tampered payload', () => {
      const [h, , sig] = forgeJwt(head, flaskClaims('bob', s()), TEST_KEY).split('.');
      return `${h}.${Buffer.from(JSON.stringify(flaskClaims('admin', s()))).toString('base64url')}.${sig}`;
    }, 'GET /api/protected', 422, 'Signature verification failed'],
    ['wrong key', () => forgeJwt(head, flaskClaims('bob', s()), 'another-key-that-is-long-enough-0123456789'), 'GET /api/protected', 422, 'Signature verification failed'],
    ['expired', () => forgeJwt(head, flaskClaims('bob', s() - 7200), TEST_KEY), 'GET /api/protected', 401, 'Token has expired'],
    ['nbf in the future', () => forgeJwt(head, flaskClaims('bob', s(), { nbf: s() + 600 }), TEST_KEY), 'GET /api/protected', 422, 'The token is not yet valid (nbf)'],
    ['refresh as access', () => forgeJwt(head, flaskClaims('bob', s(), { type: 'refresh' }), TEST_KEY), 'GET /api/protected', 422, 'Only non-refresh tokens are allowed'],
    ['access as refresh', () => forgeJwt(head, flaskClaims('bob', s()), TEST_KEY), 'POST /api/refresh', 422, 'Only refresh tokens are allowed'],
    ['sub missing', () => forgeJwt(head, flaskClaims('bob', s(), { sub: undefined }), TEST_KEY), 'GET /api/protected', 422, 'Missing claim: sub'],
    ['sub not a string', () => forgeJwt(head, flaskClaims('bob', s(), { sub: 7 }), TEST_KEY), 'GET /api/protected', 422, 'Subject must be a string'],
  ];
  it.each(cases)('%s → refused', async (_name, make, route, status, text) => {
    const { baseUrl } = await pool.start(world);
    const [method = '', path = ''] = route.split(' ');
    const result = await http(baseUrl, method, path, { headers: bearer(make()) });
    expect({ status: result.status, body: result.body, type: result.headers['content-type'] }).toEqual({
      status, body: msg(text), type: 'application/json',
    });
  });

  it('a raspiCamSrv-minted token with the same key is accepted', async () => {
    await afterSecondOf(world.users.tokensValidFrom('bob')); // bob set his password in makeWorld (§2.4 #20)
    const { baseUrl } = await pool.start(world);
    const result = await http(baseUrl, 'GET', '/api/protected', { headers: bearer(forgeJwt(head, flaskClaims('bob', nowS()), TEST_KEY)) });
    expect(result.status).toBe(200);
  });

  it('a key under 32 bytes cannot make a JwtService, so no API can start with it', () => {
    expect(() => new JwtService('x'.repeat(31), { accessTokenMinutes: 60, refreshTokenDays: 0 })).toThrow(DomainError);
  });

  it('a revoked generated token is refused at once (and its use was recorded before)', async () => {
    const { baseUrl, deps } = await pool.start(world);
    const generated = await deps.jwt.signAccess('bob', { neverExpires: true });
    await world.tokens.add({ jti: generated.jti, owner: 'bob', label: 'script' });
    expect((await http(baseUrl, 'GET', '/api/protected', { headers: bearer(generated.token) })).status).toBe(200);
    expect(world.tokens.list().find((r) => r.jti === generated.jti)?.lastUsedAt).not.toBeNull();
    expect(await world.tokens.revoke(generated.jti)).toBe(true);
    const result = await http(baseUrl, 'GET', '/api/protected', { headers: bearer(generated.token) });
    expect([result.status, result.body]).toEqual([401, msg('Token has been revoked')]);
  });

  it('a deleted user’s token stops working; a user reset to initial is refused like at login', async () => {
    await world.users.add('carol', 'user', 'carol-initial-1');
    await world.users.changePassword('carol', 'carol-initial-1', 'carol-password-1');
    await world.users.add('dave', 'user', 'dave-initial-11');
    await world.users.changePassword('dave', 'dave-initial-11', 'dave-password-11');
    const { baseUrl } = await pool.start(world);
    const carol = await loginTokens(baseUrl, 'carol', 'carol-password-1');
    const dave = await loginTokens(baseUrl, 'dave', 'dave-password-11');
    await world.users.remove('carol', 'admin');
    const gone = await http(baseUrl, 'GET', '/api/protected', { headers: bearer(carol.access_token) });
    expect([gone.status, gone.body]).toEqual([401, msg('Error loading the user carol')]);
    await world.users.resetPassword('dave', 'dave-new-initial1');
    const reset = await http(baseUrl, 'GET', '/api/protected', { headers: bearer(dave.access_token) });
    expect([reset.status, reset.body]).toEqual([401, '{"error":"Password change required. Please log in through UI!"}\n']);
  });
});

describe('Authorization header variants (docs/compatibility.md §2.4)', () => {
  const missingBearer = "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'";
  const bad = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'";
  const variants: Array<[string, Record<string, string>, number, string]> = [
    ['no header', {}, 401, 'Missing Authorization Header'],
    ['empty header', { authorization: '' }, 401, 'Missing Authorization Header'],
    ['Basic', { authorization: 'Basic Ym9iOnB3' }, 401, missingBearer],
    ['lower-case bearer', { authorization: 'bearer abc.def.ghi' }, 401, missingBearer],
    ['Bearer alone', { authorization: 'Bearer' }, 422, bad],
    ['Bearer a b', { authorization: 'Bearer a b' }, 422, bad],
    ['one segment', { authorization: 'Bearer abc' }, 422, 'Not enough segments'],
    ['bad header padding', { authorization: 'Bearer a.b.c' }, 422, 'Invalid header padding'],
  ];
  it.each(variants)('%s', async (_name, headers, status, text) => {
    const { baseUrl } = await pool.start(world);
    const result = await http(baseUrl, 'GET', '/api/protected', { headers });
    expect([result.status, result.body]).toEqual([status, msg(text)]);
  });
});

describe("a user's login tokens end at their creation, password change or reset (§2.4 #20)", () => {
  const revoked = msg('Token has been revoked');
  const call = (baseUrl: string, claims: Record<string, unknown>) =>
    http(baseUrl, 'GET', '/api/protected', { headers: bearer(forgeJwt(head, claims, TEST_KEY)) });

  it('refuses a token of the same second as the change (it may predate it) and accepts the next second', async () => {
    await world.users.add('erin', 'user', 'erin-initial-11');
    await world.users.changePassword('erin', 'erin-initial-11', 'erin-password-11');
    const second = Math.floor((world.users.tokensValidFrom('erin') ?? 0) / 1000);
    const { baseUrl } = await pool.start(world);
    const at = (iat: number) => flaskClaims('erin', iat, { jti: `erin-${iat}` });
    expect((await call(baseUrl, at(second - 1))).body).toBe(revoked);
    expect((await call(baseUrl, at(second))).body).toBe(revoked);
    await afterSecondOf(second * 1000);
    expect((await call(baseUrl, at(second + 1))).status).toBe(200);
  });

  it("keeps a raspiCamSrv token of a user recorded before the rule working until the user's next change", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'campanel-legacy-'));
    try {
      const hash = await hashPassword('frank-password-1');
      const legacy = { version: 1, users: [{ name: 'frank', role: 'user', initial: false, hash, createdAt: '2025-01-01T00:00:00.000Z' }] };
      await writeFile(join(dataDir, 'users.json'), JSON.stringify(legacy));
      const users = await UserStore.open(dataDir);
      const { baseUrl } = await pool.start(world, { users });
      const old = flaskClaims('frank', nowS() - 3600, { exp: nowS() + 3600 });
      expect((await call(baseUrl, old)).status).toBe(200);
      await users.changePassword('frank', 'frank-password-1', 'frank-password-2');
      expect((await call(baseUrl, old)).body).toBe(revoked);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
