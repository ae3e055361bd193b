/**
 * Every /system endpoint at the wire, as privacyIDEA answers it and where CamPanel differs on purpose:
 * the envelope's exact keys, status codes, error codes and texts, headers, and what reaches SystemApi.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { World, serverPool } from '../../test-support/api-test-kit.js';
import { DomainError } from '../../core/errors.js';
import { PI_ERROR_TEXTS } from './errors.js';
import { THREAD_ID } from './envelope.js';
import { RANDOM_LEN_TEXT } from './schemas.js';
import { NOT_IMPLEMENTED, unknownTokenTypeText } from './system-routes.js';
import { HSM_TEXTS, SystemError } from './system-api.js';
import { envelope, failure, form, json, startSystemServer, success, type SystemServer, useSystemServer } from './test-system-kit.js';

describe('/system endpoints', () => {
  let world: World;
  let server: SystemServer;
  const logLines: string[] = [];
  let pool: ReturnType<typeof serverPool>;
  const logger = pino({ level: 'error' }, new Writable({ write: (chunk: Buffer, _encoding, done) => (logLines.push(chunk.toString()), done()) }));
  useSystemServer((run) => ({ world, server, pool } = run), () => ({ logger }));
  afterEach(() => {
    server.system.calls.length = 0;
    server.system.failWith = null;
    server.system.ready = true;
  });

  const admin = (method: string, path: string, options?: { headers?: Record<string, string>; body?: string | Buffer }) => server.as('admin', method, path, options);

  describe('the envelope', () => {
    it('success: id, jsonrpc, result {status, value}, time (float seconds), version and versionnumber; sorted, compact, one line', async () => {
      const answer = await admin('GET', '/system/');
      success(answer);
      const body = envelope(answer);
      expect(answer.body).toMatch(/^\{"id":1,"jsonrpc":"2\.0","result":\{"status":true,"value":\{.*\}\},"time":\d+\.\d+,"version":"CamPanel 9\.8\.7","versionnumber":"9\.8\.7"\}\n$/);
      expect(Math.abs(body.time - Date.now() / 1000)).toBeLessThan(60);
    });

    it('error: detail null, no versionnumber', async () => {
      const answer = await admin('POST', '/system/hsm');
      failure(answer, 400, 905, 'ERR905: Missing parameter: password');
      expect(answer.body).toMatch(/^\{"detail":null,"id":1,"jsonrpc":"2\.0","result":\{"error":\{"code":905,"message":"ERR905: Missing parameter: password"\},"status":false\},"time":\d+\.\d+,"version":"CamPanel 9\.8\.7"\}\n$/);
    });

    it('without a version, privacyIDEA\'s "unknown"', async () => {
      const bare = await startSystemServer(pool, world, { version: undefined });
      const body = envelope(await bare.as('admin', 'GET', '/system/nodes'));
      expect(body).toMatchObject({ version: 'CamPanel unknown', versionnumber: 'unknown' });
    });
  });

  describe('GET /system/ and /system/<key>', () => {
    it('admins see every entry, password values included', async () => {
      expect(success(await admin('GET', '/system/'))).toEqual({ splitAtSign: 'True', 'mail.password': 'hunter2' });
      expect(server.system.calls).toEqual([{ method: 'readConfig' }]);
    });

    it('one key; a missing key is null with 200', async () => {
      expect(success(await admin('GET', '/system/mail.password'))).toBe('hunter2');
      expect(success(await admin('GET', '/system/no.such.key'))).toBeNull();
    });

    it('fixed routes win; a key named like a POST-only route is read as a key (GET /system/setConfig → null)', async () => {
      expect(success(await admin('GET', '/system/setConfig'))).toBeNull();
      expect(server.system.last('readConfigKey')?.key).toBe('setConfig');
      expect(success(await admin('GET', '/system/names'))).toBeNull();
      expect(server.system.last('readConfigKey')?.key).toBe('names');
    });

    it('a key is one path segment, percent-decoded, up to 255 characters and beyond', async () => {
      const long = 'k'.repeat(255);
      server.system.config.set(long, { value: 'long', type: '' });
      server.system.config.set('été', { value: 'summer', type: '' });
      expect(success(await admin('GET', `/system/${long}`))).toBe('long');
      expect(success(await admin('GET', '/system/%C3%A9t%C3%A9'))).toBe('summer');
      failure(await admin('GET', '/system/a/b'), 404, 601, PI_ERROR_TEXTS.notFound);
      // %2F is a slash to Werkzeug's router too: no such URL.
      failure(await admin('GET', '/system/a%2Fb'), 404, 601, PI_ERROR_TEXTS.notFound);
    });
  });

  describe('POST /system/setConfig', () => {
    it('form data → {key: insert|update}; the parameters and actor reach SystemApi', async () => {
      const answer = await admin('POST', '/system/setConfig', form({ splitAtSign: 'False', 'totp.hashlib': 'sha1', 'totp.hashlib.desc': 'TOTP hash' }));
      expect(success(answer)).toEqual({ splitAtSign: 'update', 'totp.hashlib': 'insert' });
      expect(server.system.last('setConfig')).toMatchObject({
        params: { splitAtSign: 'False', 'totp.hashlib': 'sha1', 'totp.hashlib.desc': 'TOTP hash' },
        actor: { user: 'admin', role: 'admin', address: '127.0.0.1' },
      });
    });

    it('JSON body; an empty body is 200 with {}', async () => {
      expect(success(await admin('POST', '/system/setConfig', json({ 'smtp.password': 'x', 'smtp.password.type': 'password' })))).toEqual({ 'smtp.password': 'insert' });
      expect(success(await admin('POST', '/system/setConfig'))).toEqual({});
    });

    it("a SystemError is 400 with its id as code and 'ERR<id>: ' before the message", async () => {
      server.system.failWith = new SystemError(905, 'This key is the name of a /system endpoint');
      failure(await admin('POST', '/system/setConfig', form({ random: '1' })), 400, 905, 'ERR905: This key is the name of a /system endpoint');
      server.system.failWith = new SystemError(707, HSM_TEXTS.notReady);
      failure(await admin('POST', '/system/setConfig', form({ p: '1', 'p.type': 'password' })), 400, 707, 'ERR707: hsm not ready!');
    });
  });

  describe('POST /system/setDefault', () => {
    it('recognised keys, any case → canonical names', async () => {
      expect(success(await admin('POST', '/system/setDefault', form({ defaultmaxfailcount: '10', DefaultOtpLen: '8', session: 'x' })))).toEqual({
        DefaultMaxFailCount: 'insert',
        DefaultOtpLen: 'insert',
      });
    });

    it('no recognised key: 400, ERR77 usage; an empty value: ERR905 with the lower-cased key', async () => {
      failure(
        await admin('POST', '/system/setDefault', form({ other: '1' })),
        400,
        77,
        'ERR77: Usage: parameters are: DefaultMaxFailCount, DefaultSyncWindow, DefaultCountWindow, DefaultOtpLen, DefaultResetFailCount',
      );
      failure(await admin('POST', '/system/setDefault', form({ DefaultOtpLen: '' })), 400, 905, 'ERR905: Missing parameter: defaultotplen');
    });
  });

  describe('DELETE /system/<key>', () => {
    it('true when deleted, false when there was none; 200 both times', async () => {
      server.system.config.set('gone.soon', { value: '1', type: '' });
      expect(success(await admin('DELETE', '/system/gone.soon'))).toBe(true);
      expect(success(await admin('DELETE', '/system/gone.soon'))).toBe(false);
      expect(server.system.last('deleteConfig')).toMatchObject({ key: 'gone.soon', actor: { user: 'admin' } });
    });
  });

  describe('GET /system/documentation', () => {
    it('text/plain in UTF-8 as an attachment named documentation.rst, not the envelope', async () => {
      const answer = await admin('GET', '/system/documentation');
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(answer.headers['content-disposition']).toBe('attachment; filename=documentation.rst');
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.body).toBe(await server.system.documentation({ user: 'x', role: 'admin', address: '' }));
      expect(server.system.calls[0]).toMatchObject({ method: 'documentation', actor: { user: 'admin' } });
    });
  });

  describe('GET /system/random', () => {
    const random = async (query: string) => success(await admin('GET', `/system/random${query}`)) as string;

    it('20 bytes as 40 lowercase hex characters by default; different every time', async () => {
      const first = await random('');
      expect(first).toMatch(/^[0-9a-f]{40}$/);
      expect(await random('')).not.toBe(first);
    });

    it.each([
      ['?len=32', /^[0-9a-f]{64}$/],
      ['?len=32&encode=b64', /^[A-Za-z0-9+/]{43}=$/],
      ['?len=31&encode=b64', /^[A-Za-z0-9+/]{42}==$/],
      ['?len=32&encode=B64', /^[0-9a-f]{64}$/],
      ['?len=32&encode=hex', /^[0-9a-f]{64}$/],
      ['?len=1', /^[0-9a-f]{2}$/],
      ['?len=1024', /^[0-9a-f]{2048}$/],
      ['?len=', /^[0-9a-f]{40}$/],
      ['?len=%2B7', /^[0-9a-f]{14}$/],
    ])('%s', async (query, pattern) => {
      expect(await random(query)).toMatch(pattern);
    });

    it.each(['0', '-1', '1025', '99999999999999999999', 'abc', '1.5', '0x10', '1e3'])('len=%s: 400, ERR905 with the bounds', async (len) => {
      failure(await admin('GET', `/system/random?len=${len}`), 400, 905, `ERR905: ${RANDOM_LEN_TEXT}`);
    });
  });

  describe('GET /system/nodes, /gpgkeys, /names/*', () => {
    it('nodes: [{name, uuid}]', async () => {
      expect(success(await admin('GET', '/system/nodes'))).toEqual([{ name: 'campanel', uuid: '12345678-1234-1234-1234-1234567890ab' }]);
    });

    it('gpgkeys: {keyid: {armor, fingerprint}}', async () => {
      expect(success(await admin('GET', '/system/gpgkeys'))).toEqual(await server.system.gpgKeys());
    });

    it('names/radius and names/caconnector: lists', async () => {
      expect(success(await admin('GET', '/system/names/radius'))).toEqual([]);
      expect(success(await admin('GET', '/system/names/caconnector'))).toEqual([]);
    });
  });

  describe('GET and POST /system/hsm', () => {
    it('GET: {is_ready}', async () => {
      expect(success(await admin('GET', '/system/hsm'))).toEqual({ is_ready: true });
      server.system.ready = false;
      expect(success(await admin('GET', '/system/hsm'))).toEqual({ is_ready: false });
    });

    it('POST without a password is ERR905 before the state is looked at; when ready, ERR707 already set up', async () => {
      server.system.ready = false;
      failure(await admin('POST', '/system/hsm'), 400, 905, 'ERR905: Missing parameter: password');
      failure(await admin('POST', '/system/hsm', form({ password: '' })), 400, 905, 'ERR905: Missing parameter: password');
      failure(await admin('POST', '/system/hsm', form({ password: 'p'.repeat(257) })), 400, 905, 'ERR905: password is at most 256 characters');
      server.system.ready = true;
      failure(await admin('POST', '/system/hsm', form({ password: 'anything' })), 400, 707, `ERR707: ${HSM_TEXTS.alreadySetUp}`);
      expect(server.system.last('hsmUnlock')).toBeUndefined();
    });

    it('POST when not ready: a wrong passphrase is ERR707, the right one answers {is_ready: true}', async () => {
      server.system.ready = false;
      failure(await admin('POST', '/system/hsm', form({ password: 'wrong' })), 400, 707, `ERR707: ${HSM_TEXTS.wrongPassword}`);
      expect(success(await admin('POST', '/system/hsm', json({ password: server.system.passphrase })))).toEqual({ is_ready: true });
      expect(server.system.last('hsmUnlock')?.actor).toEqual({ user: 'admin', role: 'admin', address: '127.0.0.1' });
    });
  });

  describe('POST /system/test/<tokentype>', () => {
    it.each(['hotp', 'HOTP', 'hmac', 'totp', 'sms', '4eyes', 'tan'])('%s: false, "Not implemented", with the thread id', async (type) => {
      const answer = await admin('POST', `/system/test/${type}`);
      expect(answer.status).toBe(200);
      const body = envelope(answer);
      expect(Object.keys(body).sort()).toEqual(['detail', 'id', 'jsonrpc', 'result', 'time', 'version', 'versionnumber']);
      expect(body.result).toEqual({ status: true, value: false });
      expect(body.detail).toEqual({ message: NOT_IMPLEMENTED, threadid: THREAD_ID });
      expect(server.system.last('testEmail')).toBeUndefined();
    });

    it('email (any case) sends through SystemApi with every parameter; value and detail.message are its answer', async () => {
      const sent = await admin('POST', '/system/test/EMAIL', form({ 'email.mailserver': 'mail.example', 'email.recipient': 'me@example.com' }));
      expect(envelope(sent)).toMatchObject({ result: { status: true, value: true }, detail: { message: 'Successfully sent email. Please check your inbox.', threadid: THREAD_ID } });
      expect(server.system.last('testEmail')?.params).toMatchObject({ 'email.mailserver': 'mail.example', 'email.recipient': 'me@example.com', tokentype: 'EMAIL' });
      const failed = await admin('POST', '/system/test/email', json({ 'email.mailserver': 'down.example' }));
      expect(envelope(failed)).toMatchObject({ result: { status: true, value: false }, detail: { message: 'Could not send email.' } });
    });

    it('an unknown type is 400 ERR905 listing the known ones, without repeating the request', async () => {
      const answer = await admin('POST', '/system/test/Zq0nosuchtype');
      failure(answer, 400, 905, `ERR905: ${unknownTokenTypeText}`);
      expect(answer.body).not.toContain('Zq0');
    });

    it('no type at all (/system/test/) is no URL', async () => {
      failure(await admin('POST', '/system/test/'), 404, 601, PI_ERROR_TEXTS.notFound);
    });
  });

  describe('failures behind SystemApi', () => {
    it('an unexpected error is 500, code -500, a generic text, and goes to the log', async () => {
      logLines.length = 0;
      server.system.failWith = new Error('disk on fire: /secret/path');
      const answer = await admin('GET', '/system/');
      failure(answer, 500, -500, PI_ERROR_TEXTS.internal);
      expect(answer.body).not.toContain('disk on fire');
      expect(logLines.join('')).toContain('disk on fire');
    });

    it('a DomainError from a shared operation is the caller’s mistake, not a 500', async () => {
      server.system.failWith = new DomainError('invalid', 'A value is at most 2000 characters');
      failure(await admin('POST', '/system/setConfig', form({ a: '1' })), 400, 905, 'ERR905: A value is at most 2000 characters');
      server.system.failWith = new DomainError('not_found', 'No such node');
      failure(await admin('GET', '/system/nodes'), 404, 601, 'No such node');
    });
  });
});
