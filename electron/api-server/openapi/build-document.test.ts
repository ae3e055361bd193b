/** buildOpenApiDocument: zod → OpenAPI 3.1 conversions, components, security, order, and the errors it refuses to paper over. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildOpenApiDocument, serializeOpenApiDocument, type JsonObject } from './build-document.js';
import type { OperationDoc } from './operation-doc.js';

const INFO = { title: 'Test API', version: '9.9.9' };
const text = z.object({ text: z.string() });

const get = (path: string, extra: Partial<OperationDoc> = {}): OperationDoc => ({
  method: 'get',
  path,
  operationId: `get${path.replace(/\W/g, '_')}`,
  summary: `GET ${path}`,
  tags: ['t'],
  security: ['none'],
  responses: { '200': { description: 'ok', content: { 'application/json': text } } },
  ...extra,
});

const at = (document: JsonObject, ...keys: string[]): unknown => keys.reduce<unknown>((value, key) => (value as JsonObject | undefined)?.[key], document);

describe('buildOpenApiDocument', () => {
  it('writes OpenAPI 3.1.0 with paths sorted, methods in a fixed order and statuses ascending', () => {
    const ops: OperationDoc[] = [
      get('/b', { method: 'delete', operationId: 'deleteB' }),
      get('/b'),
      get('/a', { responses: { default: { description: 'other' }, '500': { description: 'x' }, '4XX': { description: 'y' }, '200': { description: 'z' } } }),
      get('/b', { method: 'post', operationId: 'postB' }),
    ];
    const document = buildOpenApiDocument(ops, INFO);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toEqual(INFO);
    expect(Object.keys(document.paths)).toEqual(['/a', '/b']);
    expect(Object.keys(document.paths['/b'] ?? {})).toEqual(['get', 'post', 'delete']);
    expect(Object.keys(at(document, 'paths', '/a', 'get', 'responses') as JsonObject)).toEqual(['200', '500', '4XX', 'default']);
  });

  it('is deterministic: the same operations in another order give the same text', () => {
    const ops = [get('/x'), get('/y'), get('/x', { method: 'post', operationId: 'postX' })];
    const forward = serializeOpenApiDocument(buildOpenApiDocument(ops, INFO));
    const reversed = serializeOpenApiDocument(buildOpenApiDocument([...ops].reverse(), INFO));
    expect(reversed).toBe(forward);
    expect(forward.endsWith('}\n')).toBe(true);
  });

  it('converts requests as input (other keys allowed) and responses as output (no other keys)', () => {
    const body = z.object({ name: z.string(), limit: z.number().max(5).optional() });
    const document = buildOpenApiDocument([get('/r', { method: 'post', requestBody: { 'application/json': body }, responses: { '200': { description: 'ok', content: { 'application/json': body } } } })], INFO);
    const request = at(document, 'paths', '/r', 'post', 'requestBody') as JsonObject;
    expect(request.required).toBe(true);
    expect(at(request, 'content', 'application/json', 'schema')).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, limit: { type: 'number', maximum: 5 } },
      required: ['name'],
    });
    expect(at(document, 'paths', '/r', 'post', 'responses', '200', 'content', 'application/json', 'schema', 'additionalProperties')).toBe(false);
  });

  it('marks an optional request body as not required', () => {
    const document = buildOpenApiDocument([get('/o', { requestBody: { 'application/json': text }, requestBodyOptional: true })], INFO);
    expect(at(document, 'paths', '/o', 'get', 'requestBody', 'required')).toBe(false);
  });

  it('renders nullable, records, unions and literals as JSON Schema 2020-12', () => {
    const schema = z.object({ maybe: z.string().nullable(), map: z.record(z.string(), z.boolean()), either: z.union([z.string(), z.number()]), fixed: z.literal('x') });
    const document = buildOpenApiDocument([get('/s', { responses: { '200': { description: 'ok', content: { 'application/json': schema } } } })], INFO);
    expect(at(document, 'paths', '/s', 'get', 'responses', '200', 'content', 'application/json', 'schema', 'properties')).toEqual({
      maybe: { type: ['string', 'null'] },
      map: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'boolean' } },
      either: { type: ['string', 'number'] },
      fixed: { type: 'string', const: 'x' },
    });
  });

  it('drops z.int()’s implicit ±2^53 bounds but keeps real ones', () => {
    const schema = z.object({ any: z.int(), small: z.int().min(1).max(9) });
    const document = buildOpenApiDocument([get('/i', { responses: { '200': { description: 'ok', content: { 'application/json': schema } } } })], INFO);
    expect(at(document, 'paths', '/i', 'get', 'responses', '200', 'content', 'application/json', 'schema', 'properties')).toEqual({
      any: { type: 'integer' },
      small: { type: 'integer', minimum: 1, maximum: 9 },
    });
  });

  it('keeps the pattern of startsWith and the like, without zod’s made-up format name', () => {
    const schema = z.object({ text: z.string().startsWith('Photo taken: '), mail: z.email() });
    const document = buildOpenApiDocument([get('/f', { responses: { '200': { description: 'ok', content: { 'application/json': schema } } } })], INFO);
    const properties = at(document, 'paths', '/f', 'get', 'responses', '200', 'content', 'application/json', 'schema', 'properties') as JsonObject;
    expect(properties.text).toEqual({ type: 'string', pattern: '^Photo taken: .*' });
    expect(properties.mail).toMatchObject({ type: 'string', format: 'email' });
  });

  it('lists named schemas once under components/schemas and refers to them', () => {
    const named = z.object({ code: z.int() }).meta({ id: 'TestNamedCode', description: 'a code' });
    const ops = [
      get('/n1', { responses: { '200': { description: 'ok', content: { 'application/json': named } } } }),
      get('/n2', { responses: { '200': { description: 'ok', content: { 'application/json': z.object({ inner: named }) } } } }),
    ];
    const document = buildOpenApiDocument(ops, INFO);
    expect(at(document, 'components', 'schemas', 'TestNamedCode')).toEqual({
      type: 'object',
      properties: { code: { type: 'integer' } },
      required: ['code'],
      additionalProperties: false,
      description: 'a code',
    });
    expect(at(document, 'paths', '/n1', 'get', 'responses', '200', 'content', 'application/json', 'schema')).toEqual({ $ref: '#/components/schemas/TestNamedCode' });
    expect(at(document, 'paths', '/n2', 'get', 'responses', '200', 'content', 'application/json', 'schema', 'properties', 'inner')).toEqual({
      $ref: '#/components/schemas/TestNamedCode',
    });
    expect(serializeOpenApiDocument(document)).not.toContain('$defs');
  });

  it('refuses one id that renders two ways (a z.object used as request and as response)', () => {
    const both = z.object({ a: z.string() }).meta({ id: 'TestBothWays' });
    const op = get('/both', { method: 'post', requestBody: { 'application/json': both }, responses: { '200': { description: 'ok', content: { 'application/json': both } } } });
    expect(() => buildOpenApiDocument([op], INFO)).toThrow(/two different schemas are named "TestBothWays"/);
  });

  it('lists a shared response once under components/responses, and refuses two versions of it', () => {
    const shared = { name: 'Busy', description: 'busy', content: { 'application/json': text } };
    const document = buildOpenApiDocument([get('/p', { responses: { '503': shared } }), get('/q', { responses: { '503': shared } })], INFO);
    expect(at(document, 'paths', '/p', 'get', 'responses', '503')).toEqual({ $ref: '#/components/responses/Busy' });
    expect(at(document, 'components', 'responses', 'Busy', 'description')).toBe('busy');
    const other = { ...shared, description: 'something else' };
    expect(() => buildOpenApiDocument([get('/p', { responses: { '503': shared } }), get('/q', { responses: { '503': other } })], INFO)).toThrow(
      /shared response "Busy" is described two different ways \(GET \/q 503\)/,
    );
  });

  it('maps security kinds: none alone is no security, with others it makes them optional; streams take Basic, ?token= or bearer', () => {
    const document = buildOpenApiDocument(
      [
        get('/open'),
        get('/jwt', { security: ['bearer'] }),
        get('/pi', { security: ['piAuthorization'] }),
        get('/feed', { security: ['streamAuth', 'none'] }),
        get('/feed-bearer', { security: ['streamAuth', 'bearer'] }),
      ],
      INFO,
    );
    expect(at(document, 'paths', '/open', 'get', 'security')).toEqual([]);
    expect(at(document, 'paths', '/jwt', 'get', 'security')).toEqual([{ bearer: [] }]);
    expect(at(document, 'paths', '/pi', 'get', 'security')).toEqual([{ piAuthorization: [] }]);
    expect(at(document, 'paths', '/feed', 'get', 'security')).toEqual([{ streamBasic: [] }, { streamToken: [] }, { bearer: [] }, {}]);
    expect(at(document, 'paths', '/feed-bearer', 'get', 'security')).toEqual([{ streamBasic: [] }, { streamToken: [] }, { bearer: [] }]);
    expect(Object.keys(at(document, 'components', 'securitySchemes') as JsonObject)).toEqual(['bearer', 'piAuthorization', 'streamBasic', 'streamToken']);
    expect(at(document, 'components', 'securitySchemes', 'piAuthorization')).toMatchObject({ type: 'apiKey', in: 'header', name: 'PI-Authorization' });
    expect(at(document, 'components', 'securitySchemes', 'streamToken')).toMatchObject({ type: 'apiKey', in: 'query', name: 'token' });
  });

  it('turns path and query schemas into parameters, with required flags and descriptions', () => {
    const op = get('/items/{key}', {
      pathParams: { key: z.string().min(1).meta({ description: 'the key' }) },
      query: z.object({ camera: z.string().regex(/^\d+$/).optional().meta({ description: 'camera number' }), action: z.enum(['a', 'b']) }),
    });
    const parameters = at(buildOpenApiDocument([op], INFO), 'paths', '/items/{key}', 'get', 'parameters');
    expect(parameters).toEqual([
      { name: 'key', in: 'path', required: true, description: 'the key', schema: { type: 'string', minLength: 1 } },
      { name: 'camera', in: 'query', required: false, description: 'camera number', schema: { type: 'string', pattern: '^\\d+$' } },
      { name: 'action', in: 'query', required: true, schema: { type: 'string', enum: ['a', 'b'] } },
    ]);
  });

  it('refuses a path template and path parameters that disagree', () => {
    expect(() => buildOpenApiDocument([get('/items/{key}')], INFO)).toThrow(/declares path parameters \[\], its template has \[key\]/);
    expect(() => buildOpenApiDocument([get('/items', { pathParams: { key: z.string() } })], INFO)).toThrow(/declares path parameters \[key\]/);
  });

  it('refuses an operation documented twice and a repeated operationId', () => {
    expect(() => buildOpenApiDocument([get('/d'), get('/d', { operationId: 'other' })], INFO)).toThrow('GET /d is documented twice');
    expect(() => buildOpenApiDocument([get('/d'), get('/e', { operationId: 'get_d' })], INFO)).toThrow('operationId "get_d" is used twice');
  });

  it('writes a binary body as a media type without schema, and response headers with their schema', () => {
    const op = get('/jpeg', {
      responses: {
        '200': { description: 'a JPEG', content: { 'image/jpeg': { binary: true } }, headers: { 'X-Timestamp': { description: 'when', schema: z.string().regex(/^\d+\.\d{6}$/) } } },
      },
    });
    const response = at(buildOpenApiDocument([op], INFO), 'paths', '/jpeg', 'get', 'responses', '200');
    expect(response).toEqual({
      description: 'a JPEG',
      headers: { 'X-Timestamp': { description: 'when', schema: { type: 'string', pattern: '^\\d+\\.\\d{6}$' } } },
      content: { 'image/jpeg': {} },
    });
  });

  it('lists tags in the order operations first use them, with their descriptions', () => {
    const document = buildOpenApiDocument([get('/1', { tags: ['zeta'] }), get('/2', { tags: ['alpha', 'zeta'] })], INFO, { tags: { alpha: 'first letter' } });
    expect(document.tags).toEqual([{ name: 'zeta' }, { name: 'alpha', description: 'first letter' }]);
  });
});
