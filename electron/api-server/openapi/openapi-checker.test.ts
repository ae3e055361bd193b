/** e2e/support/openapi.ts: the checker the black-box tests run on every answer, against a document built here. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OpenApiMismatch, checkHttpAnswer, openApiChecker, type ObservedAnswer } from '../../../e2e/support/openapi.js';
import { buildOpenApiDocument } from './build-document.js';
import type { OperationDoc } from './operation-doc.js';

const SECRET = 'eyJ-secret-looking-value';
const named = z.object({ error: z.string() }).meta({ id: 'CheckerTestError' });
const item = z.object({ key: z.string(), value: z.string().nullable() });

const ops: OperationDoc[] = [
  {
    method: 'get',
    path: '/items/{key}',
    operationId: 'getItem',
    summary: 'one item',
    tags: ['t'],
    security: ['none'],
    pathParams: { key: z.string() },
    responses: {
      '200': { description: 'ok', content: { 'application/json': item } },
      '404': { name: 'CheckerNotFound', description: 'none', content: { 'application/json': named } },
      '4XX': { description: 'other client errors', content: { 'application/json': named } },
    },
  },
  {
    method: 'get',
    path: '/items/special',
    operationId: 'getSpecial',
    summary: 'a fixed route beside the template',
    tags: ['t'],
    security: ['none'],
    responses: { '200': { description: 'ok', content: { 'application/json': z.object({ special: z.literal(true) }) } } },
  },
  {
    method: 'post',
    path: '/items/',
    operationId: 'postItems',
    summary: 'the list, with a slash',
    tags: ['t'],
    security: ['none'],
    requestBody: { 'application/json': item },
    responses: { '204': { description: 'no body' }, default: { description: 'anything else', content: { 'application/json': named } } },
  },
  {
    method: 'get',
    path: '/feed',
    operationId: 'feed',
    summary: 'binary',
    tags: ['t'],
    security: ['none'],
    responses: { '200': { description: 'stream or jpeg', content: { 'multipart/x-mixed-replace': { binary: true }, 'image/jpeg': { binary: true } } } },
  },
];

const checker = openApiChecker(buildOpenApiDocument(ops, { title: 'checker test', version: '1' }), 'the test document');
const json = (status: number, body: unknown, extra: Partial<ObservedAnswer> = {}): ObservedAnswer => ({
  method: 'GET',
  path: '/items/a',
  status,
  contentType: 'application/json',
  body: `${JSON.stringify(body)}\n`,
  ...extra,
});
const mismatch = (answer: ObservedAnswer): string => {
  try {
    checker.check(answer);
  } catch (error) {
    expect(error).toBeInstanceOf(OpenApiMismatch);
    return (error as Error).message;
  }
  throw new Error('expected a mismatch, the answer passed');
};

describe('openApiChecker', () => {
  it('accepts an answer the document describes', () => {
    expect(() => checker.check(json(200, { key: 'a', value: null }))).not.toThrow();
    expect(() => checker.check(json(200, { key: 'a', value: 'b' }, { contentType: 'application/json; charset=utf-8', path: '/items/a?x=1' }))).not.toThrow();
  });

  it('refuses a body that does not match, naming keys and schema rules but never the values', () => {
    const wrongType = mismatch(json(200, { key: 'a', value: 42 }));
    expect(wrongType).toMatch(/^GET \/items\/a 200: the body does not match the test document: \/value must be string/);
    const extraKey = mismatch(json(200, { key: SECRET, value: SECRET, token: SECRET }));
    expect(extraKey).toContain('must NOT have additional properties ("token")');
    expect(extraKey).not.toContain(SECRET);
    expect(mismatch(json(200, { value: 'b' }))).toContain("must have required property 'key'");
  });

  it('refuses a body that is not JSON where JSON is documented', () => {
    expect(mismatch(json(200, null, { body: '<html>' }))).toBe('GET /items/a 200: the body is not JSON although application/json is documented');
  });

  it('refuses an undocumented status, listing the documented ones; falls back to 4XX, then default', () => {
    expect(mismatch(json(500, { error: 'x' }))).toBe('GET /items/a answered 500, which the test document does not document for /items/{key} (documented: 200, 404, 4XX)');
    expect(() => checker.check(json(418, { error: 'teapot' }))).not.toThrow();
    expect(mismatch(json(418, { message: 'teapot' }))).toContain('must have required property');
    expect(() => checker.check({ method: 'POST', path: '/items/', status: 500, contentType: 'application/json', body: '{"error":"x"}' })).not.toThrow();
  });

  it('resolves shared responses and named schemas', () => {
    expect(() => checker.check(json(404, { error: 'none' }))).not.toThrow();
    expect(mismatch(json(404, { msg: 'none' }))).toContain('additional properties ("msg")');
  });

  it('refuses an undocumented path or method', () => {
    expect(mismatch(json(200, {}, { path: '/nothing' }))).toBe('GET /nothing: the path is not in the test document');
    // Templates match exactly one non-empty segment; trailing slashes are distinct paths.
    expect(mismatch(json(200, {}, { path: '/items/' }))).toBe('GET /items/: the test document documents /items/ only for POST');
    expect(mismatch(json(200, {}, { path: '/items/a/b' }))).toContain('the path is not in the test document');
    expect(mismatch(json(200, {}, { path: '/items' }))).toContain('the path is not in the test document');
    expect(mismatch(json(200, {}, { method: 'DELETE' }))).toBe('DELETE /items/a: the test document documents /items/{key} only for GET');
    expect(mismatch(json(200, {}, { method: 'OPTIONS' }))).toContain('only for GET');
  });

  it('prefers a literal path over a template', () => {
    expect(() => checker.check(json(200, { special: true }, { path: '/items/special' }))).not.toThrow();
    expect(mismatch(json(200, { key: 'special', value: null }, { path: '/items/special' }))).toContain('additional properties');
  });

  it('checks the Content-Type against the documented ones, parameters aside', () => {
    expect(mismatch(json(200, { key: 'a', value: null }, { contentType: 'text/html' }))).toBe(
      'GET /items/a 200: Content-Type "text/html" is not documented (documented: application/json)',
    );
    expect(mismatch(json(200, { key: 'a', value: null }, { contentType: undefined }))).toContain('Content-Type "(none)"');
    const feed = { method: 'GET', path: '/feed', status: 200, body: Buffer.from([0xff, 0xd8, 0xff, 0xd9]) };
    expect(() => checker.check({ ...feed, contentType: 'multipart/x-mixed-replace; boundary=frame' })).not.toThrow();
    expect(() => checker.check({ ...feed, contentType: 'image/jpeg' })).not.toThrow();
    expect(mismatch({ ...feed, contentType: 'image/png' })).toContain('Content-Type "image/png" is not documented (documented: multipart/x-mixed-replace, image/jpeg)');
  });

  it('refuses a body where the document says there is none', () => {
    expect(() => checker.check({ method: 'POST', path: '/items/', status: 204, body: '' })).not.toThrow();
    expect(mismatch({ method: 'POST', path: '/items/', status: 204, contentType: 'application/json', body: '{}' })).toBe(
      'POST /items/ 204: the test document documents no body, the answer has one',
    );
  });

  it('checks HEAD as the GET it mirrors, without a body', () => {
    expect(() => checker.check({ method: 'HEAD', path: '/items/a', status: 200, contentType: 'application/json', body: '' })).not.toThrow();
    expect(() => checker.check({ method: 'HEAD', path: '/feed', status: 200, contentType: 'multipart/x-mixed-replace; boundary=frame' })).not.toThrow();
    expect(mismatch({ method: 'HEAD', path: '/items/a', status: 200, contentType: 'text/plain', body: '' })).toContain('Content-Type "text/plain"');
    expect(mismatch({ method: 'HEAD', path: '/items/a', status: 503, contentType: 'application/json' })).toContain('answered 503');
  });

  it('compiles every schema of the document, and refuses one ajv cannot compile', () => {
    // getItem 200, 404, 4XX; getSpecial 200; postItems request and default; the feed's binary bodies have none.
    expect(checker.compileAll()).toBe(6);
    const broken = buildOpenApiDocument(ops, { title: 'broken', version: '1' });
    const responses = broken.paths['/feed']?.get as { responses: Record<string, unknown> };
    responses.responses['200'] = { description: 'x', content: { 'application/json': { schema: { type: 'object', nonsense: true } } } };
    expect(() => openApiChecker(broken).compileAll()).toThrow(/unknown keyword: "nonsense"/);
  });
});

describe('checkHttpAnswer (docs/openapi.json)', () => {
  const hello = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"message":"Hello, bob! You accessed a protected route."}\n' };

  it('passes an answer the committed document describes, from an absolute URL', () => {
    expect(() => checkHttpAnswer('GET', 'http://127.0.0.1:8080/api/protected', hello)).not.toThrow();
  });

  it('throws for one it does not', () => {
    expect(() => checkHttpAnswer('GET', 'http://127.0.0.1:8080/api/protected', { ...hello, status: 418 })).toThrow(
      /^GET \/api\/protected answered 418, which docs\/openapi.json does not document/,
    );
    expect(() => checkHttpAnswer('GET', 'http://127.0.0.1:8080/api/protected', { ...hello, body: '{"message":1}\n' })).toThrow(/\/message must be string/);
  });
});
