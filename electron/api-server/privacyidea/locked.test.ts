/**
 * /system while a passphrase-protected secrets file is locked: only GET and POST /system/hsm are served,
 * without a token (none could be checked), the passphrase tries are rate-limited per client, and every
 * other endpoint answers ERR707 "hsm not ready!".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { http } from '../../test-support/api-test-kit.js';
import { NetworkLoginLimiter } from '../../users/network-login-limiter.js';
import { PI_ERROR_TEXTS } from './errors.js';
import { PASSPHRASE_LIMITER_USER, tooManyPassphrasesText } from './hsm.js';
import { HSM_TEXTS } from './system-api.js';
import { failure, form, json, success, type SystemServer, useSystemServer } from './test-system-kit.js';

describe('/system while the secrets are locked', () => {
  let server: SystemServer;
  // Two free wrong passphrases per client, then a minute's lock: the limit shows without waiting.
  const limiter = new NetworkLoginLimiter({ perUserAndClient: { maxFailures: 2, baseDelayMs: 60_000 } });
  useSystemServer((run) => ({ server } = run), () => ({ secretsLocked: () => true, limiter }));
  afterEach(() => {
    server.system.calls.length = 0;
  });

  const post = (options?: { headers?: Record<string, string>; body?: string }) => http(server.baseUrl, 'POST', '/system/hsm', options);

  it('GET /system/hsm answers {is_ready: false} without a token, and with any header', async () => {
    server.system.ready = false;
    expect(success(await http(server.baseUrl, 'GET', '/system/hsm'))).toEqual({ is_ready: false });
    expect(success(await http(server.baseUrl, 'GET', '/system/hsm', { headers: { authorization: 'Bearer not.a.token' } }))).toEqual({ is_ready: false });
  });

  it.each([
    ['GET', '/system/'],
    ['GET', '/system/someKey'],
    ['DELETE', '/system/someKey'],
    ['POST', '/system/setConfig'],
    ['POST', '/system/setDefault'],
    ['GET', '/system/documentation'],
    ['GET', '/system/random'],
    ['GET', '/system/nodes'],
    ['POST', '/system/test/email'],
    ['GET', '/system/gpgkeys'],
    ['GET', '/system/names/radius'],
    ['GET', '/system/names/caconnector'],
  ])('%s %s → 400 ERR707: hsm not ready!, token or not, and SystemApi is not called', async (method, path) => {
    failure(await http(server.baseUrl, method, path), 400, 707, 'ERR707: hsm not ready!');
    failure(await server.as('admin', method, path), 400, 707, 'ERR707: hsm not ready!');
    expect(server.system.calls).toEqual([]);
  });

  it('routing answers are unchanged: 404, 405, 308', async () => {
    failure(await http(server.baseUrl, 'GET', '/system/a/b'), 404, 601, PI_ERROR_TEXTS.notFound);
    failure(await http(server.baseUrl, 'PUT', '/system/hsm'), 405, 405, PI_ERROR_TEXTS.methodNotAllowed);
    expect((await http(server.baseUrl, 'GET', '/system')).status).toBe(308);
  });

  it('POST /system/hsm: ERR905 without a password; wrong ones ERR707; then limited (400 ERR707 with the wait), even for the right one', async () => {
    server.system.ready = false;
    failure(await post(), 400, 905, 'ERR905: Missing parameter: password');
    failure(await post(form({ password: 'wrong-1' })), 400, 707, `ERR707: ${HSM_TEXTS.wrongPassword}`);
    failure(await post(json({ password: 'wrong-2' })), 400, 707, `ERR707: ${HSM_TEXTS.wrongPassword}`);
    failure(await post(form({ password: 'wrong-3' })), 400, 707, `ERR707: ${HSM_TEXTS.wrongPassword}`);
    const limited = await post(form({ password: server.system.passphrase }));
    failure(limited, 400, 707, /^ERR707: Too many wrong passphrases from this address\. Wait (59|60) seconds before trying again\.$/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(server.system.calls.filter((call) => call.method === 'hsmUnlock')).toHaveLength(3);
    expect(server.system.ready).toBe(false);
    expect(tooManyPassphrasesText(1)).toBe('Too many wrong passphrases from this address. Wait 1 second before trying again.');
  });
});

describe('/system unlock while locked', () => {
  let server: SystemServer;
  let locked = true;
  useSystemServer((run) => ({ server } = run), () => ({ secretsLocked: () => locked }));

  it('the right passphrase, without a token: 200 {is_ready: true}; the audit actor names the passphrase and the address', async () => {
    server.system.ready = false;
    expect(success(await http(server.baseUrl, 'POST', '/system/hsm', form({ password: server.system.passphrase })))).toEqual({ is_ready: true });
    expect(server.system.last('hsmUnlock')?.actor).toEqual({ user: PASSPHRASE_LIMITER_USER, role: 'admin', address: '127.0.0.1' });
    // The core restarts the listener normally; this one, told the secrets are open, wants tokens again.
    locked = false;
    failure(await http(server.baseUrl, 'GET', '/system/hsm'), 401, 4033, 'Authentication failure. Missing Authorization header.');
    expect(success(await server.as('admin', 'GET', '/system/hsm'))).toEqual({ is_ready: true });
  });
});
