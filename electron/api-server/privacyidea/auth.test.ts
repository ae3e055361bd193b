/**
 * /system authentication at the wire: the three header forms, privacyIDEA's codes and texts for each
 * refusal (never repeating the token), and the role as it is now (demotion, deletion, revocation and a
 * reset password take effect on the next request).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_KEY, http, type World } from '../../test-support/api-test-kit.js';
import { JwtService } from '../../jwt/jwt-service.js';
import { AUTH_CODES, PI_AUTH_TEXTS, badTokenText } from './errors.js';
import { TOKEN_REASONS } from './auth.js';
import { failure, success, type SystemServer, useSystemServer } from './test-system-kit.js';

describe('/system authentication', () => {
  let world: World;
  let server: SystemServer;
  useSystemServer((run) => ({ world, server } = run));
  afterEach(() => {
    server.roles.clear();
    server.revoked.clear();
  });

  const get = (path: string, headers: Record<string, string>) => http(server.baseUrl, 'GET', path, { headers });

  it.each([
    ['PI-Authorization: <jwt>', (token: string) => ({ 'pi-authorization': token })],
    ['Authorization: <jwt>', (token: string) => ({ authorization: token })],
    ['Authorization: Bearer <jwt>', (token: string) => ({ authorization: `Bearer ${token}` })],
    ['Authorization: bearer  <jwt> (any case, extra spaces)', (token: string) => ({ authorization: `bearer  ${token} ` })],
  ])('accepts %s', async (_form, headers) => {
    expect(success(await get('/system/nodes', headers(await server.token('admin'))))).toEqual([{ name: 'campanel', uuid: '12345678-1234-1234-1234-1234567890ab' }]);
  });

  it('PI-Authorization is used when present; Authorization only when it is absent or empty', async () => {
    const token = await server.token('admin');
    success(await get('/system/nodes', { 'pi-authorization': token, authorization: 'Bearer garbage' }));
    failure(await get('/system/nodes', { 'pi-authorization': 'garbage', authorization: token }), 401, AUTH_CODES.badToken, /^Authentication failure\. Error decoding the Authorization token: /);
    success(await get('/system/nodes', { 'pi-authorization': '', authorization: token }));
  });

  it('no token: 401, 4033', async () => {
    failure(await get('/system/', {}), 401, AUTH_CODES.missingHeader, PI_AUTH_TEXTS.missingHeader);
    failure(await get('/system/', { authorization: '   ' }), 401, AUTH_CODES.missingHeader, PI_AUTH_TEXTS.missingHeader);
    failure(await get('/system/', { authorization: 'Bearer' }), 401, AUTH_CODES.missingHeader, PI_AUTH_TEXTS.missingHeader);
  });

  it('an undecodable or forged token: 401, 4304 with the reason, and the token is never repeated', async () => {
    const forged = (await new JwtService('another-key-for-campanel-tests-0123456789', { accessTokenMinutes: 5, refreshTokenDays: 1 }).signAccess('admin')).token;
    const cases: Array<[string, string]> = [
      ['Zq0notatoken0Zq', 'Not enough segments'],
      [forged, 'Signature verification failed'],
      [`${forged.split('.').slice(0, 2).join('.')}.Zq0sig0Zq`, 'Signature verification failed'],
      ['Zq0a b0Zq', TOKEN_REASONS.shape],
      ['Zq0a,b0Zq', TOKEN_REASONS.shape],
    ];
    for (const [token, reason] of cases) {
      const answer = await get('/system/', { authorization: token });
      failure(answer, 401, AUTH_CODES.badToken, badTokenText(reason));
      expect(answer.body).not.toContain(token.split('.').at(-1));
    }
  });

  it('an expired token: 401, 4305', async () => {
    const past = new JwtService(TEST_KEY, { accessTokenMinutes: 1, refreshTokenDays: 1 }, { now: () => Date.now() - 3_600_000 });
    const { token } = await past.signAccess('admin');
    failure(await get('/system/', { authorization: token }), 401, AUTH_CODES.expired, PI_AUTH_TEXTS.expired);
  });

  it('a refresh token is refused: only access tokens are accepted', async () => {
    await server.token('admin');
    const { token } = await server.deps.jwt.signRefresh('admin');
    failure(await get('/system/', { 'pi-authorization': token }), 401, AUTH_CODES.badToken, badTokenText(TOKEN_REASONS.refresh));
  });

  it('a token from POST /api/login works', async () => {
    const login = await http(server.baseUrl, 'POST', '/api/login', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-password-1' }) });
    const { access_token } = JSON.parse(login.body) as { access_token: string };
    expect(success(await get('/system/hsm', { 'pi-authorization': access_token }))).toEqual({ is_ready: true });
  });

  it('a revoked token: 401, 4304, at once', async () => {
    await server.token('admin');
    const { token, jti } = await server.deps.jwt.signAccess('admin');
    success(await get('/system/', { authorization: token }));
    server.revoked.add(jti);
    failure(await get('/system/', { authorization: token }), 401, AUTH_CODES.badToken, 'Authentication failure. Token has been revoked');
  });

  it('a user who must still change the password an admin set: 401, 4304', async () => {
    failure(await server.as('alice', 'GET', '/system/'), 401, AUTH_CODES.badToken, 'Authentication failure. Password change required. Please log in through UI!');
  });

  it('a deleted user: 401, 4304, on the next request', async () => {
    await world.users.add('carol', 'user', 'carol-initial-1');
    await world.users.changePassword('carol', 'carol-initial-1', 'carol-password-1');
    const token = await server.token('carol');
    success(await get('/system/', { authorization: token }));
    await world.users.remove('carol', 'admin');
    failure(await get('/system/', { authorization: token }), 401, AUTH_CODES.badToken, 'Authentication failure. Error loading the user carol');
  });

  describe('roles', () => {
    const adminOnly: Array<[string, string]> = [
      ['POST', '/system/setConfig'],
      ['POST', '/system/setDefault'],
      ['DELETE', '/system/someKey'],
      ['GET', '/system/documentation'],
      ['GET', '/system/random'],
      ['GET', '/system/nodes'],
      ['GET', '/system/hsm'],
      ['POST', '/system/hsm'],
      ['POST', '/system/test/email'],
      ['GET', '/system/gpgkeys'],
    ];

    it.each(adminOnly)('%s %s: a user-role token gets 401, 4306, detail {}, and nothing is called', async (method, path) => {
      server.system.calls.length = 0;
      failure(await server.as('bob', method, path), 401, AUTH_CODES.wrongRole, PI_AUTH_TEXTS.wrongRole, {});
      expect(server.system.calls).toEqual([]);
    });

    it.each([
      ['/system/', { splitAtSign: 'True' }],
      ['/system/splitAtSign', 'True'],
      ['/system/mail.password', null],
      ['/system/names/radius', []],
      ['/system/names/caconnector', []],
    ])('GET %s is open to the user role, with what a user may see', async (path, expected) => {
      expect(success(await server.as('bob', 'GET', path))).toEqual(expected);
    });

    it('a demoted admin is refused at once; a promoted user is admitted at once', async () => {
      const adminToken = await server.token('admin');
      const bobToken = await server.token('bob');
      success(await get('/system/nodes', { authorization: adminToken }));
      server.roles.set('admin', 'user');
      failure(await get('/system/nodes', { authorization: adminToken }), 401, AUTH_CODES.wrongRole, PI_AUTH_TEXTS.wrongRole, {});
      expect(success(await get('/system/', { authorization: adminToken }))).toEqual({ splitAtSign: 'True' });
      server.roles.set('bob', 'admin');
      success(await get('/system/nodes', { authorization: bobToken }));
    });

    it('the audit actor is the token’s user with the role and address of this request', async () => {
      success(await server.as('admin', 'DELETE', '/system/splitAtSign'));
      expect(server.system.last('deleteConfig')?.actor).toEqual({ user: 'admin', role: 'admin', address: '127.0.0.1' });
      server.system.config.set('splitAtSign', { value: 'True', type: 'public' });
    });
  });
});
