/**
 * The whole document: the committed docs/openapi.json is what the code generates, it is valid OpenAPI 3.1
 * (the official schema, and every JSON Schema in it compiles), and every route the API app registers has
 * an operation in it, and no operation lacks a route.
 */
import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiChecker } from '../../../e2e/support/openapi.js';
import { TEST_KEY, makeWorld, type World } from '../../test-support/api-test-kit.js';
import { JwtService } from '../../jwt/jwt-service.js';
import { NetworkLoginLimiter } from '../../users/network-login-limiter.js';
import { buildApiApp } from '../api-app.js';
import type { SystemApi } from '../privacyidea/system-api.js';
import { LongLivedConnections } from '../long-lived.js';
import { serializeOpenApiDocument } from './build-document.js';
import { campanelOpenApiDocument, campanelOperationDocs } from './campanel-document.js';
import { OPENAPI_PATH } from './openapi-route.js';

const root = new URL('../../../', import.meta.url);
const packageVersion = async () => (JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as { version: string }).version;

describe('docs/openapi.json', () => {
  it('is what the code generates now', async () => {
    const generated = serializeOpenApiDocument(campanelOpenApiDocument(await packageVersion()));
    const committed = await readFile(new URL('docs/openapi.json', root), 'utf8').catch(() => '');
    if (committed === generated) return;
    const committedLines = committed.split('\n');
    const generatedLines = generated.split('\n');
    const line = generatedLines.findIndex((text, index) => text !== committedLines[index]);
    expect.fail(
      `docs/openapi.json differs from what the code generates: run \`npm run openapi\` and commit the result ` +
        `(first difference at line ${line + 1}: committed ${JSON.stringify(committedLines[line] ?? '(end)')}, generated ${JSON.stringify(generatedLines[line] ?? '(end)')})`,
    );
  });
});

describe('the document', () => {
  it('is valid OpenAPI 3.1 (the official schema), with every $ref resolvable', async () => {
    const validator = new Validator();
    const result = await validator.validate(campanelOpenApiDocument('0.0.0-test'));
    expect(result.errors).toBeUndefined();
    expect([result.valid, validator.version]).toEqual([true, '3.1']);
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('is refused by that validator when broken (so the check above can fail)', async () => {
    const broken = structuredClone(campanelOpenApiDocument('0.0.0-test')) as Record<string, unknown>;
    delete broken.info;
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('has JSON Schemas that ajv compiles in strict mode', () => {
    expect(openApiChecker(campanelOpenApiDocument('0.0.0-test')).compileAll()).toBeGreaterThan(100);
  });
});

describe('routes and operations', () => {
  let world: World;
  beforeAll(async () => {
    world = await makeWorld();
  });
  afterAll(() => world.cleanUp());

  /** `/system/:tokentype`, `/system/*` and `/system/{key}` alike: the shape of the URL. */
  const shape = (url: string) => url.replace(/\{[^}]+\}|:[^/]+|\*/g, '{}');

  /** "GET /api/login"… for each route the API app registers with /system served, answering GET, POST or DELETE. */
  async function registeredRoutes(): Promise<string[]> {
    // The /system dialect only registers its routes; none of them runs here.
    const system = new Proxy({} as SystemApi, {
      get: () => () => {
        throw new Error('not called while registering routes');
      },
    });
    const jwt = new JwtService(TEST_KEY, { accessTokenMinutes: 60, refreshTokenDays: 30 });
    const app = buildApiApp({ jwt, tokens: world.tokens, limiter: new NetworkLoginLimiter(), users: world.users, accessTokenMinutes: 60, system }, new LongLivedConnections());
    const routes: string[] = [];
    app.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      // The dialects' 405 answers (to every method a URL does not allow, PUT always among them) are no operations.
      if (methods.includes('PUT')) return;
      for (const method of methods) if (['GET', 'POST', 'DELETE'].includes(method)) routes.push(`${method} ${shape(route.url)}`);
    });
    await app.ready();
    // buildApiApp registers the document's own route before this hook could see it.
    if (app.hasRoute({ method: 'GET', url: OPENAPI_PATH })) routes.push(`GET ${OPENAPI_PATH}`);
    await app.close();
    return [...new Set(routes)].sort();
  }

  it('every registered route is documented, and every documented operation has a route', async () => {
    const routes = await registeredRoutes();
    const documented = campanelOperationDocs()
      .map((op) => `${op.method.toUpperCase()} ${shape(op.path)}`)
      .sort();
    expect(routes.length).toBeGreaterThan(40);
    expect({ undocumented: routes.filter((route) => !documented.includes(route)), withoutRoute: documented.filter((op) => !routes.includes(op)) }).toEqual({
      undocumented: [],
      withoutRoute: [],
    });
  });
});
