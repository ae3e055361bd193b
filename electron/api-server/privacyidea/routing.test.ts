/**
 * Routing under /system as Werkzeug does it, answered in the envelope: the 308 from /system, 405 with
 * Allow, OPTIONS, unknown and deeper paths (404/601), and the border with raspiCamSrv's dialect.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { http } from '../../test-support/api-test-kit.js';
import { PI_ERROR_TEXTS, isSystemUrl, sendSystemFrameworkError } from './errors.js';
import { VERSION, failure, type SystemServer, useSystemServer } from './test-system-kit.js';

describe('/system routing', () => {
  let server: SystemServer;
  useSystemServer((run) => ({ server } = run));

  const call = (method: string, path: string) => http(server.baseUrl, method, path);

  it.each(['GET', 'HEAD', 'OPTIONS'])('%s /system → 308 to /system/ (the query is not repeated), no token needed', async (method) => {
    const answer = await call(method, '/system?Zq0mark=1');
    expect(answer.status).toBe(308);
    expect(answer.headers['location']).toBe('/system/');
    expect(answer.headers['cache-control']).toBe('no-cache');
    expect(answer.body).toBe('');
  });

  it('other methods on /system find no route: 404 envelope', async () => {
    failure(await call('POST', '/system'), 404, 601, PI_ERROR_TEXTS.notFound);
    failure(await call('DELETE', '/system'), 404, 601, PI_ERROR_TEXTS.notFound);
  });

  it.each([
    ['POST', '/system/someKey', 'DELETE, GET, HEAD, OPTIONS'],
    ['PUT', '/system/someKey', 'DELETE, GET, HEAD, OPTIONS'],
    ['PATCH', '/system/setConfig', 'DELETE, GET, HEAD, OPTIONS, POST'],
    ['POST', '/system/random', 'DELETE, GET, HEAD, OPTIONS'],
    ['PUT', '/system/hsm', 'DELETE, GET, HEAD, OPTIONS, POST'],
    ['DELETE', '/system/', 'GET, HEAD, OPTIONS'],
    ['POST', '/system/', 'GET, HEAD, OPTIONS'],
    ['GET', '/system/test/hotp', 'OPTIONS, POST'],
    ['DELETE', '/system/names/radius', 'GET, HEAD, OPTIONS'],
    ['TRACE', '/system/nodes', 'DELETE, GET, HEAD, OPTIONS'],
    ['PROPFIND', '/system/someKey', 'DELETE, GET, HEAD, OPTIONS'],
  ])('%s %s → 405 in the envelope with Allow: %s, before any token check', async (method, path, allow) => {
    const answer = await call(method, path);
    failure(answer, 405, 405, PI_ERROR_TEXTS.methodNotAllowed);
    expect(answer.headers['allow']).toBe(allow);
  });

  it.each([
    ['/system/', 'GET, HEAD, OPTIONS'],
    ['/system/someKey', 'DELETE, GET, HEAD, OPTIONS'],
    ['/system/hsm', 'DELETE, GET, HEAD, OPTIONS, POST'],
    ['/system/test/email', 'OPTIONS, POST'],
  ])('OPTIONS %s → 200, Allow: %s, no body, no token', async (path, allow) => {
    const answer = await call('OPTIONS', path);
    expect(answer.status).toBe(200);
    expect(answer.headers['allow']).toBe(allow);
    expect(answer.headers['cache-control']).toBe('no-cache');
    expect(answer.body).toBe('');
  });

  it.each([
    ['GET', '/system/a/b'],
    ['DELETE', '/system/a/b'],
    ['POST', '/system/a/b'],
    ['OPTIONS', '/system/a/b'],
    ['GET', '/system//'],
    ['POST', '/system/test/hotp/extra'],
    ['GET', '/system/names/other'],
    ['POST', '/system/test/'],
    ['GET', '/system/setConfig/'],
  ])('%s %s → 404, code 601, in the envelope', async (method, path) => {
    failure(await call(method, path), 404, 601, PI_ERROR_TEXTS.notFound);
  });

  it('HEAD of a GET route runs it (401 without a token) and sends no body', async () => {
    const answer = await call('HEAD', '/system/nodes');
    expect(answer.status).toBe(401);
    expect(answer.body).toBe('');
  });

  it('URLs beside /system stay raspiCamSrv’s', async () => {
    const answer = await call('GET', '/systems');
    expect(answer.status).toBe(404);
    expect(Object.keys(JSON.parse(answer.body) as object)).toEqual(['error']);
    expect(JSON.parse((await call('GET', '/api/protected')).body)).toEqual({ msg: 'Missing Authorization Header' });
  });

  describe('answers given before routing', () => {
    it.each([
      ['/system', true],
      ['/system/', true],
      ['/system/%zz', true],
      ['/system?x', true],
      ['/systems', false],
      ['/api/system', false],
      ['/', false],
    ])('isSystemUrl(%j) = %s', (url, expected) => {
      expect(isSystemUrl(url)).toBe(expected);
    });

    it('sendSystemFrameworkError answers an undecodable /system URL in the envelope without repeating it', async () => {
      const app = Fastify({ frameworkErrors: (_error, _request, reply) => sendSystemFrameworkError(reply, VERSION) });
      app.get('/system/:key', () => 'unreached');
      try {
        const answer = await app.inject({ method: 'GET', url: '/system/%zzZq0' });
        expect(answer.statusCode).toBe(400);
        expect(answer.headers['cache-control']).toBe('no-cache');
        const body = JSON.parse(answer.body) as { result: unknown; detail: unknown };
        expect(body.result).toEqual({ status: false, error: { code: 400, message: PI_ERROR_TEXTS.badRequest } });
        expect(answer.body).not.toContain('Zq0');
      } finally {
        await app.close();
      }
    });
  });
});
