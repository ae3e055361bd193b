/**
 * Where /system parameters come from (query + form, JSON, path variables, in that order), the second
 * percent-decoding privacyIDEA applies to query and form values, Python str() of JSON values, and the
 * bodies that are refused (with nothing written).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { NESTED_VALUE_TEXT, pythonStr, pythonUnquote } from './params.js';
import { PI_ERROR_TEXTS } from './errors.js';
import { failure, form, json, success, type SystemServer, useSystemServer } from './test-system-kit.js';

describe('pythonUnquote (urllib.parse.unquote)', () => {
  it.each([
    ['plain', 'plain'],
    ['%41%42', 'AB'],
    ['a%20b+c', 'a b+c'],
    ['%C3%A9t%C3%A9', 'été'],
    ['100%', '100%'],
    ['%zz%4', '%zz%4'],
    ['%C3', '\uFFFD'],
    ['%C3a%A9', '\uFFFDa\uFFFD'],
    ['%2541', '%41'],
    ['é%20', 'é '],
  ])('%j → %j', (input, expected) => {
    expect(pythonUnquote(input)).toBe(expected);
  });
});

describe('pythonStr (str() of a JSON value)', () => {
  it.each([
    [true, 'True'],
    [false, 'False'],
    [10, '10'],
    [1.5, '1.5'],
    [-3, '-3'],
    ['text', 'text'],
    ['', ''],
    [null, null],
    [Infinity, 'inf'],
  ])('%j → %j', (input, expected) => {
    expect(pythonStr(input)).toBe(expected);
  });

  it.each([[{ a: 1 }], [[1, 2]], [[]], [{}]])('refuses %j with ERR905', (input) => {
    expect(() => pythonStr(input)).toThrow(NESTED_VALUE_TEXT);
  });
});

describe('parameters over the wire', () => {
  let server: SystemServer;
  useSystemServer((run) => ({ server } = run));
  beforeEach(() => {
    server.system.calls.length = 0;
  });

  const setConfigParams = () => ({ ...server.system.last('setConfig')?.params });

  it('form fields, with values percent-decoded a second time', async () => {
    const answer = await server.as('admin', 'POST', '/system/setConfig', form({ 'totp.hashlib': 'sha%31', note: 'a%2Bb c' }));
    expect(success(answer)).toEqual({ 'totp.hashlib': 'insert', note: 'insert' });
    expect(setConfigParams()).toEqual({ 'totp.hashlib': 'sha1', note: 'a+b c' });
  });

  it('query-string parameters count too (setConfig stores them as keys), decoded twice', async () => {
    success(await server.as('admin', 'POST', '/system/setConfig?fromQuery=x%2541&other=%252F', form({ a: '1' })));
    expect(setConfigParams()).toEqual({ fromQuery: 'xA', other: '/', a: '1' });
  });

  it.each(['privacyidea-cp/2.0', 'privacyIDEA-LDAP-Proxy/1.2 (linux)', 'simplesamlphp'])('%s sends values unquoted already: decoded once only', async (agent) => {
    success(await server.as('admin', 'POST', '/system/setConfig?q=%2541', { headers: { ...form({}).headers, 'user-agent': agent }, body: 'f=%2542' }));
    expect(setConfigParams()).toEqual({ q: '%41', f: '%42' });
  });

  it('other clients named like them are still decoded twice', async () => {
    success(await server.as('admin', 'POST', '/system/setConfig?q=%2541', { headers: { 'user-agent': 'privacyidea-cpx/1.0' } }));
    expect(setConfigParams()).toEqual({ q: 'A' });
  });

  it('JSON values are never decoded again and become Python str(): true → "True", 10 → "10", null stays null', async () => {
    success(await server.as('admin', 'POST', '/system/setConfig', json({ splitAtSign: true, off: false, count: 10, ratio: 0.5, raw: '%41', gone: null })));
    expect(setConfigParams()).toEqual({ splitAtSign: 'True', off: 'False', count: '10', ratio: '0.5', raw: '%41', gone: null });
  });

  it('the query, then the form (query wins a name in both, and the first of repeats), then JSON overrides both', async () => {
    success(await server.as('admin', 'POST', '/system/setConfig?a=query&a=second&b=query', form({ a: 'form', c: 'form' })));
    expect(setConfigParams()).toEqual({ a: 'query', b: 'query', c: 'form' });
    success(await server.as('admin', 'POST', '/system/setConfig?a=query&b=query', json({ a: 'json' })));
    expect(setConfigParams()).toEqual({ a: 'json', b: 'query' });
  });

  it('a body that is a JSON object counts without a JSON content type; other bodies are no parameters', async () => {
    success(await server.as('admin', 'POST', '/system/setConfig', { headers: { 'content-type': 'text/plain' }, body: '{"fromText": 1}' }));
    expect(setConfigParams()).toEqual({ fromText: '1' });
    expect(success(await server.as('admin', 'POST', '/system/setConfig', { headers: { 'content-type': 'text/plain' }, body: 'not json at all' }))).toEqual({});
    expect(setConfigParams()).toEqual({});
  });

  it('a form body is form fields only, even when it reads as JSON', async () => {
    success(await server.as('admin', 'POST', '/system/setConfig', { headers: form({}).headers, body: '{"a":"1"}' }));
    expect(setConfigParams()).toEqual({ '{"a":"1"}': '' });
  });

  it('GET reads a JSON body too, and a path variable wins over a parameter of the same name', async () => {
    server.system.config.set('fromPath', { value: 'path value', type: '' });
    expect(success(await server.as('admin', 'GET', '/system/fromPath?key=fromQuery', json({ key: 'fromJson' })))).toBe('path value');
    expect(server.system.last('readConfigKey')?.key).toBe('fromPath');
    success(await server.as('admin', 'DELETE', '/system/fromPath', json({ key: 'other' })));
    expect(server.system.last('deleteConfig')?.key).toBe('fromPath');
  });

  it('GET /system/random reads len and encode from a JSON body', async () => {
    const value = success(await server.as('admin', 'GET', '/system/random', json({ len: 8, encode: 'b64' })));
    expect(value).toMatch(/^[A-Za-z0-9+/]{11}=$/);
  });

  it("the seed's example body of bare \"key\": value lines is refused as JSON, and nothing is written", async () => {
    const body = '"splitAtSign": true\n"totp.hashlib": "sha1"\n"totp.hashlib.desc": "The hash algorithm used for TOTP tokens"\n';
    const answer = await server.as('admin', 'POST', '/system/setConfig', { headers: { 'content-type': 'application/json' }, body });
    failure(answer, 400, 400, PI_ERROR_TEXTS.badJson);
    expect(server.system.last('setConfig')).toBeUndefined();
  });

  it.each([
    ['a JSON list', '[["a", "1"]]', PI_ERROR_TEXTS.jsonNotObject],
    ['a JSON string', '"a=1"', PI_ERROR_TEXTS.jsonNotObject],
    ['JSON null', 'null', PI_ERROR_TEXTS.jsonNotObject],
    ['broken UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), PI_ERROR_TEXTS.badJson],
  ])('with a JSON content type, %s is refused (400) and nothing is written', async (_name, body, message) => {
    failure(await server.as('admin', 'POST', '/system/setConfig', { headers: { 'content-type': 'application/json' }, body }), 400, 400, message);
    expect(server.system.last('setConfig')).toBeUndefined();
  });

  it('an object or list as a value is ERR905, and nothing is written', async () => {
    failure(await server.as('admin', 'POST', '/system/setConfig', json({ fine: 'x', nested: { a: 1 } })), 400, 905, `ERR905: ${NESTED_VALUE_TEXT}`);
    failure(await server.as('admin', 'POST', '/system/setConfig', json({ list: [1] })), 400, 905, `ERR905: ${NESTED_VALUE_TEXT}`);
    expect(server.system.last('setConfig')).toBeUndefined();
  });

  it('an empty body with a JSON content type is no parameters (GET /system/ as the seed shows it)', async () => {
    expect(success(await server.as('admin', 'GET', '/system/', { headers: { 'content-type': 'application/json' } }))).toMatchObject({ splitAtSign: 'True' });
    expect(success(await server.as('admin', 'POST', '/system/setConfig', { headers: { 'content-type': 'application/json' }, body: '' }))).toEqual({});
  });

  it('__proto__ and constructor are plain keys: nothing is polluted', async () => {
    const answer = await server.as('admin', 'POST', '/system/setConfig?constructor=q', {
      headers: { 'content-type': 'application/json' },
      body: '{"__proto__": {"polluted": 1}, "toString": "x"}',
    });
    // An object value is refused as usual, under whatever name it came.
    failure(answer, 400, 905, `ERR905: ${NESTED_VALUE_TEXT}`);
    success(await server.as('admin', 'POST', '/system/setConfig?constructor=q', { headers: { 'content-type': 'application/json' }, body: '{"__proto__": "p", "toString": "x"}' }));
    const params = server.system.last('setConfig')?.params;
    expect(Object.getPrototypeOf(params)).toBeNull();
    expect(Object.keys(params ?? {}).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(params?.['__proto__']).toBe('p');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('multipart bodies are refused with a message saying what to send instead', async () => {
    const body = '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n';
    failure(await server.as('admin', 'POST', '/system/setConfig', { headers: { 'content-type': 'multipart/form-data; boundary=b' }, body }), 400, 400, PI_ERROR_TEXTS.multipart);
    expect(server.system.last('setConfig')).toBeUndefined();
  });

  it('a body over 64 KiB is 413 in the envelope, on POST and on GET', async () => {
    const big = JSON.stringify({ pad: 'p'.repeat(70_000) });
    failure(await server.as('admin', 'POST', '/system/setConfig', { headers: { 'content-type': 'application/json' }, body: big }), 413, 413, PI_ERROR_TEXTS.bodyTooLarge);
    failure(await server.as('admin', 'GET', '/system/', { headers: { 'content-type': 'application/json' }, body: big }), 413, 413, PI_ERROR_TEXTS.bodyTooLarge);
    expect(server.system.last('setConfig')).toBeUndefined();
  });
});
