/** GET /openapi.json through a real listener: open, no-cache, the document byte for byte, the port's method rules. */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openApiChecker } from '../../../e2e/support/openapi.js';
import { TEST_KEY, http, makeWorld, type World } from '../../test-support/api-test-kit.js';
import { JwtService } from '../../jwt/jwt-service.js';
import { NetworkLoginLimiter } from '../../users/network-login-limiter.js';
import { buildApiApp } from '../api-app.js';
import type { ApiDeps } from '../api-deps.js';
import { LongLivedConnections } from '../long-lived.js';
import { serializeOpenApiDocument } from './build-document.js';
import { campanelOpenApiDocument } from './campanel-document.js';
import { OPENAPI_PATH } from './openapi-route.js';

let world: World;
let app: FastifyInstance | null = null;
beforeAll(async () => {
  world = await makeWorld();
});
afterEach(async () => {
  await app?.close();
  app = null;
});
afterAll(() => world.cleanUp());

const deps = (): ApiDeps => ({
  jwt: new JwtService(TEST_KEY, { accessTokenMinutes: 60, refreshTokenDays: 30 }),
  tokens: world.tokens,
  limiter: new NetworkLoginLimiter(),
  users: world.users,
  accessTokenMinutes: 60,
});

const document = campanelOpenApiDocument();

/** The API app as api-app.ts builds it, which serves the document itself. */
async function listen(): Promise<string> {
  app = buildApiApp(deps(), new LongLivedConnections());
  const scope = app;
  await scope.listen({ host: '127.0.0.1', port: 0 });
  const address = scope.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

describe('GET /openapi.json', () => {
  it('answers the document without a token, as JSON, not to be cached unchecked', async () => {
    const baseUrl = await listen();
    const result = await http(baseUrl, 'GET', OPENAPI_PATH);
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe('application/json');
    expect(result.headers['cache-control']).toBe('no-cache');
    expect(result.body).toBe(serializeOpenApiDocument(document));
    // The answer is what the document says about itself.
    openApiChecker(document).check({ method: 'GET', path: OPENAPI_PATH, status: 200, contentType: 'application/json', body: result.body });
  });

  it('follows the port’s method rules: HEAD, OPTIONS with Allow, 405 for others, 404 with a slash', async () => {
    const baseUrl = await listen();
    const head = await http(baseUrl, 'HEAD', OPENAPI_PATH);
    expect([head.status, head.body]).toEqual([200, '']);
    const options = await http(baseUrl, 'OPTIONS', OPENAPI_PATH);
    expect([options.status, options.headers.allow]).toEqual([200, 'GET, HEAD, OPTIONS']);
    const put = await http(baseUrl, 'PUT', OPENAPI_PATH, { body: '{}' });
    expect([put.status, put.headers.allow, put.body]).toEqual([405, 'GET, HEAD, OPTIONS', '{"error":"The method is not allowed for the requested URL."}\n']);
    expect((await http(baseUrl, 'GET', `${OPENAPI_PATH}/`)).status).toBe(404);
  });

  it('is served by buildApiApp itself (api-app.ts registers the route)', async () => {
    const baseUrl = await listen();
    const result = await http(baseUrl, 'GET', OPENAPI_PATH);
    expect(result.status, 'api-app.ts must call registerOpenApiRoute(app, campanelOpenApiDocument())').toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ openapi: '3.1.0', info: { title: 'CamPanel API' } });
  });
});
