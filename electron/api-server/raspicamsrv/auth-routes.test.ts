/** POST /api/login, login limiting, bad input, JSON-only errors, GET bodies: through real HTTP. */
import pino from 'pino';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JwtService } from '../../jwt/jwt-service.js';
import { NetworkLoginLimiter } from '../../users/network-login-limiter.js';
import { PASSWORDS, TEST_KEY, bearer, http, jsonHeaders, login, loginTokens, makeWorld, serverPool, type World } from '../../test-support/api-test-kit.js';
import { peekJwt } from '../../test-support/jwt-forge.js';
import { ApiServer } from '../api-server.js';
import { buildApiApp } from '../api-app.js';
import { LongLivedConnections } from '../long-lived.js';
import { installJsonErrorHandler } from './errors.js';
import { registerRoutes } from './index.js';
import { sendJson } from './flask-json.js';
import { readJsonBody } from '../json-body.js';

let world: World;
const pool = serverPool();
beforeAll(async () => {
  world = await makeWorld();
});
afterEach(() => pool.stopAll());
afterAll(() => world.cleanUp());

const INVALID = '{"error":"Invalid username or password"}\n';

/** The world's user store as an ApiUserDirectory whose parts a test can replace. */
const bindUsers = (w: World) => ({
  verifyPassword: (name: string, password: string) => w.users.verifyPassword(name, password),
  get: (name: string) => w.users.get(name),
  tokensValidFrom: (name: string) => w.users.tokensValidFrom(name),
});

describe('POST /api/login', () => {
  it('returns access and refresh tokens in Flask’s byte format', async () => {
    const { baseUrl } = await pool.start(world);
    const result = await login(baseUrl, 'bob', PASSWORDS.bob);
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe('application/json');
    expect(result.body).toMatch(/^\{"access_token":"[\w-]+\.[\w-]+\.[\w-]+","refresh_token":"[\w-]+\.[\w-]+\.[\w-]+"\}\n$/);
    const { access_token, refresh_token } = JSON.parse(result.body) as Record<string, string>;
    expect(peekJwt(access_token ?? '').payload).toMatchObject({ sub: 'bob', type: 'access', fresh: false });
    expect(peekJwt(refresh_token ?? '').payload).toMatchObject({ sub: 'bob', type: 'refresh' });
  });

  it('returns only an access token, without exp, when the access lifetime is 0', async () => {
    const { baseUrl } = await pool.start(world, {
      jwt: new JwtService(TEST_KEY, { accessTokenMinutes: 0, refreshTokenDays: 0 }),
      accessTokenMinutes: 0,
    });
    const result = await login(baseUrl, 'bob', PASSWORDS.bob);
    expect(result.body).toMatch(/^\{"access_token":"[\w-]+\.[\w-]+\.[\w-]+"\}\n$/);
    expect(peekJwt((JSON.parse(result.body) as { access_token: string }).access_token).payload).not.toHaveProperty('exp');
  });

  it.each([
    ['unknown user', 'nobody', 'whatever-password'],
    ['wrong password', 'bob', 'not-bobs-password'],
    ['wrong password of an initial user', 'alice', 'not-alices-password'],
  ])('%s → 401 Invalid username or password', async (_name, username, password) => {
    const { baseUrl } = await pool.start(world);
    const result = await login(baseUrl, username, password);
    expect([result.status, result.body, result.headers['content-type']]).toEqual([401, INVALID, 'application/json']);
  });

  it('refuses an initial user with the right password', async () => {
    const { baseUrl } = await pool.start(world);
    const result = await login(baseUrl, 'alice', PASSWORDS.alice);
    expect([result.status, result.body]).toEqual([401, '{"error":"Password change required. Please log in through UI!"}\n']);
  });
});

/** Two free failures per (user, client), then a minute. */
const strictLimiter = () => new NetworkLoginLimiter({ perUserAndClient: { maxFailures: 2, baseDelayMs: 60_000 } });

describe('login limiting', () => {
  const lockedOut = async (username: string) => {
    const { baseUrl } = await pool.start(world, { limiter: strictLimiter() });
    for (let i = 0; i < 3; i += 1) expect((await login(baseUrl, username, 'wrong-password-x')).status).toBe(401);
    return { baseUrl, refused: await login(baseUrl, username, 'wrong-password-x') };
  };

  it('answers 429 with Retry-After, identically for an existing and an unknown user', async () => {
    const existing = (await lockedOut('bob')).refused;
    const unknown = (await lockedOut('no-such-user')).refused;
    expect(existing.status).toBe(429);
    expect(existing.body).toBe('{"error":"Too many failed login attempts. Try again in 60 seconds."}\n');
    expect(existing.headers['retry-after']).toBe('60');
    expect([unknown.status, unknown.body, unknown.headers['retry-after']]).toEqual([existing.status, existing.body, existing.headers['retry-after']]);
  });

  it('refuses even the right password while locked; other users from elsewhere are unaffected by the user lock', async () => {
    const { baseUrl } = await lockedOut('bob');
    expect((await login(baseUrl, 'bob', PASSWORDS.bob)).status).toBe(429);
  });

  it('counts parallel guesses before the slow password check', async () => {
    const { baseUrl } = await pool.start(world, { limiter: strictLimiter() });
    const results = await Promise.all(Array.from({ length: 8 }, () => login(baseUrl, 'bob', 'wrong-password-x')));
    expect(results.filter((r) => r.status === 401)).toHaveLength(3);
    expect(results.filter((r) => r.status === 429)).toHaveLength(5);
  });
});

describe('a login in the second of a password change', () => {
  it('waits for the next second, so that its tokens are not refused as older than the change', async () => {
    // Wait for a fresh second, so that the change below and the login land in the same one.
    await new Promise((resolve) => setTimeout(resolve, 1005 - (Date.now() % 1000)));
    const changedAt = Date.now();
    const users = { ...bindUsers(world), tokensValidFrom: (name: string) => (name === 'bob' ? changedAt : null) };
    const { baseUrl } = await pool.start(world, { users });
    const { access_token, refresh_token } = await loginTokens(baseUrl, 'bob', PASSWORDS.bob);
    const { iat } = peekJwt(access_token).payload as { iat: number };
    expect(iat).toBeGreaterThan(Math.floor(changedAt / 1000));
    expect((await http(baseUrl, 'GET', '/api/protected', { headers: bearer(access_token) })).status).toBe(200);
    expect((await http(baseUrl, 'POST', '/api/refresh', { headers: bearer(refresh_token ?? '') })).status).toBe(200);
  });

  it('sends no token when the password changed while it was being checked', async () => {
    let validFrom = 1;
    const users = {
      ...bindUsers(world),
      tokensValidFrom: () => validFrom,
      verifyPassword: async (name: string, password: string) => {
        const user = await world.users.verifyPassword(name, password);
        validFrom = Date.now(); // the change lands while the old password is being checked
        return user;
      },
    };
    const { baseUrl } = await pool.start(world, { users });
    expect((await login(baseUrl, 'bob', PASSWORDS.bob)).body).toBe(INVALID);
  });
});

describe('bad input is JSON, never a crash', () => {
  const cases: Array<[string, Record<string, string>, string | Buffer | undefined, number, string]> = [
    ['body not JSON', jsonHeaders, '{"username":', 400, 'Failed to decode JSON object: the request body is not valid JSON'],
    ['empty JSON body', jsonHeaders, '', 400, 'Failed to decode JSON object: the request body is not valid JSON'],
    ['invalid UTF-8', jsonHeaders, Buffer.from([0x7b, 0xff, 0x7d]), 400, 'Failed to decode JSON object: the request body is not valid JSON'],
    ['JSON array', jsonHeaders, '["bob","pw"]', 400, 'The JSON body must be an object with "username" and "password" strings'],
    ['JSON null', jsonHeaders, 'null', 400, 'The JSON body must be an object with "username" and "password" strings'],
    ['username missing', jsonHeaders, '{"password":"x"}', 400, 'The JSON body must be an object with "username" and "password" strings'],
    ['password a number', jsonHeaders, '{"username":"bob","password":1}', 400, 'The JSON body must be an object with "username" and "password" strings'],
    ['username too long', jsonHeaders, JSON.stringify({ username: 'u'.repeat(65), password: 'x' }), 400, '"username" is at most 64 and "password" at most 256 characters'],
    ['over 64 KiB', jsonHeaders, JSON.stringify({ username: 'bob', password: 'p'.repeat(70_000) }), 400, 'The request body is larger than 64 KiB'],
    ['text/plain', { 'content-type': 'text/plain' }, '{"username":"bob","password":"x"}', 415, "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."],
    ['form post', { 'content-type': 'application/x-www-form-urlencoded' }, 'username=bob&password=x', 415, "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."],
    ['no body, no content type', {}, undefined, 415, "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."],
  ];
  it.each(cases)('%s', async (_name, headers, body, status, text) => {
    const { baseUrl } = await pool.start(world);
    const result = await http(baseUrl, 'POST', '/api/login', { headers, ...(body === undefined ? {} : { body }) });
    expect([result.status, result.body, result.headers['content-type']]).toEqual([status, `${JSON.stringify({ error: text })}\n`, 'application/json']);
  });

  it('accepts application/json with a charset and a +json type, like Werkzeug', async () => {
    const { baseUrl } = await pool.start(world);
    const body = JSON.stringify({ username: 'nobody', password: 'x' });
    for (const type of ['application/json; charset=utf-8', 'application/vnd.api+json']) {
      expect((await http(baseUrl, 'POST', '/api/login', { headers: { 'content-type': type }, body })).status).toBe(401);
    }
  });

  it('unknown route → 404 JSON; wrong method → 405 JSON with Allow; OPTIONS → 200 with Allow', async () => {
    const { baseUrl } = await pool.start(world);
    const missing = await http(baseUrl, 'GET', '/api/nothing-here');
    expect([missing.status, missing.headers['content-type']]).toEqual([404, 'application/json']);
    expect(JSON.parse(missing.body)).toHaveProperty('error');
    const wrong = await http(baseUrl, 'GET', '/api/login');
    expect([wrong.status, wrong.body, wrong.headers['allow']]).toEqual([405, '{"error":"The method is not allowed for the requested URL."}\n', 'POST, OPTIONS']);
    expect((await http(baseUrl, 'DELETE', '/api/protected')).headers['allow']).toBe('GET, HEAD, OPTIONS');
    const options = await http(baseUrl, 'OPTIONS', '/api/protected');
    expect([options.status, options.headers['allow']]).toEqual([200, 'GET, HEAD, OPTIONS']);
    expect((await http(baseUrl, 'GET', '/api/protected/')).status).toBe(404);
  });

  it('an unexpected error → 500 JSON without internals, logged for the operator', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => { lines.push(chunk.toString()); done(); } });
    const { baseUrl } = await pool.start(world, {
      users: { verifyPassword: () => Promise.reject(new Error('disk on fire at /secret/path')), get: () => null, tokensValidFrom: () => null },
      logger: pino(sink),
    });
    const result = await login(baseUrl, 'bob', 'x');
    expect([result.status, result.body]).toEqual([500, '{"error":"Internal server error"}\n']);
    expect(lines.join('')).toContain('disk on fire');
  });
});

describe('GET with a JSON body (raspiCamSrv clients send them)', () => {
  it('readJsonBody reads a GET body Fastify left unparsed, with the same rules as POST', async () => {
    const app = buildApiApp({ ...(await pool.start(world)).deps }, new LongLivedConnections());
    void app.register(async (scope) => {
      installJsonErrorHandler(scope, undefined);
      registerRoutes(scope, [
        { method: 'GET', url: '/api/echo', handler: async (request, reply) => sendJson(reply, 200, { got: (await readJsonBody(request)) as string }) },
      ]);
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address();
      const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const ok = await http(baseUrl, 'GET', '/api/echo', { headers: jsonHeaders, body: '{"duration":5}' });
      expect([ok.status, ok.body]).toEqual([200, '{"got":{"duration":5}}\n']);
      expect((await http(baseUrl, 'GET', '/api/echo', { headers: jsonHeaders })).status).toBe(400);
      expect((await http(baseUrl, 'GET', '/api/echo', { headers: jsonHeaders, body: 'x'.repeat(70_000) })).status).toBe(400);
      expect((await http(baseUrl, 'GET', '/api/echo', { body: '{}' })).status).toBe(415);
    } finally {
      await app.close();
    }
  });
});

describe('ApiServer lifecycle', () => {
  it('reports a port in use as a DomainError conflict and is not left running', async () => {
    const { baseUrl, deps } = await pool.start(world);
    const port = Number(new URL(baseUrl).port);
    const second = new ApiServer();
    await expect(second.start({ host: '127.0.0.1', port }, deps)).rejects.toMatchObject({
      name: 'DomainError', code: 'conflict', message: `Port ${port} is already in use on 127.0.0.1`,
    });
    expect(second.running).toBe(false);
  });

  it('starts, refuses a second start, stops, and starts again', async () => {
    const { server, deps } = await pool.start(world);
    expect(server.running).toBe(true);
    await expect(server.start({ host: '127.0.0.1', port: 0 }, deps)).rejects.toMatchObject({ code: 'conflict' });
    await server.stop();
    expect(server.running).toBe(false);
    const again = await server.start({ host: '127.0.0.1', port: 0 }, deps);
    expect(again.urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
  });
});
