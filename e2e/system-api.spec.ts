/**
 * Black-box tests of the privacyIDEA-style /system endpoints against a real `campanel serve`, configured only
 * through the command line: one row (or one group of rows) per behaviour of privacyIDEA's /system API as
 * CamPanel adopts it (docs/compatibility.md, /system). Tokens come from POST /api/login; every answer is
 * also checked against docs/openapi.json by support/http.ts.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { closedPort, parseMail, startSilentServer, startSmtp } from '../electron/notifications/test-mail-kit.js';
import { checkWithDocutils } from '../electron/system-docs/test-docutils.js';
import { flaskClaims, forgeJwt } from '../electron/test-support/jwt-forge.js';
import { form, http, json, type RawResponse } from './support/http.js';
import { cli } from './support/serve.js';
import { listProcesses, poll, sleep } from './support/processes.js';
import {
  ADMIN,
  USER,
  bearerAuth,
  envelope,
  jwtKeyOf,
  piAuth,
  rawAuth,
  run,
  startSystemServe,
  type SystemServe,
} from './support/system-serve.js';

type Headers = Record<string, string>;
type Body = { headers: Headers; body: string };

const MISSING_HEADER = 'Authentication failure. Missing Authorization header.';
const DECODING = 'Authentication failure. Error decoding the Authorization token: ';
const EXPIRED = 'Authentication failure. Your token has expired: Signature has expired';
const WRONG_ROLE = "Authentication failure. You do not have the necessary role (['admin']) to access this resource!";
const NOT_FOUND = 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';
const SET_DEFAULT_USAGE = 'ERR77: Usage: parameters are: DefaultMaxFailCount, DefaultSyncWindow, DefaultCountWindow, DefaultOtpLen, DefaultResetFailCount';
const RANDOM_LEN = 'ERR905: len must be a whole number of bytes from 1 to 1024 (default 20)';
const EMAIL_SENT = 'Successfully sent email. Please check your inbox.';

let s: SystemServe;

const admin = (): Headers => piAuth(s.adminToken);
const user = (): Headers => piAuth(s.userToken);

function call(method: string, path: string, headers: Headers, body?: Body, offSpec = false): Promise<RawResponse> {
  return http(`${s.system}${path}`, { method, headers: { ...headers, ...body?.headers }, body: body?.body, offSpec });
}
const get = (path: string, headers: Headers = admin()) => call('GET', path, headers);
const post = (path: string, body: Body | undefined, headers: Headers = admin()) => call('POST', path, headers, body);
const del = (path: string, headers: Headers = admin()) => call('DELETE', path, headers);

/** A success envelope as privacyIDEA's send_result writes it; returns result.value. */
function valueOf(answer: RawResponse): unknown {
  expect(answer.status, answer.body).toBe(200);
  expect(answer.headers['content-type']).toBe('application/json');
  expect(answer.headers['cache-control']).toBe('no-cache');
  const body = envelope(answer);
  expect(body).toMatchObject({ id: 1, jsonrpc: '2.0', result: { status: true } });
  expect(body.version).toMatch(/^CamPanel \d+\.\d+\.\d+/);
  expect(body.versionnumber).toBe(body.version.replace('CamPanel ', ''));
  expect(Math.abs(body.time - Date.now() / 1000)).toBeLessThan(300);
  return body.result.value;
}

interface Refusal {
  status: number;
  code: number;
  message: string | RegExp;
  detail?: null | Record<string, never>;
}

/** An error envelope (send_error): detail present, no versionnumber. */
function expectRefusal(answer: RawResponse, expected: Refusal, what = ''): void {
  expect(answer.status, `${what} ${answer.body}`).toBe(expected.status);
  expect(answer.headers['content-type'], what).toBe('application/json');
  expect(answer.headers['cache-control'], what).toBe('no-cache');
  const body = envelope(answer);
  expect(body, what).toMatchObject({ id: 1, jsonrpc: '2.0', result: { status: false, error: { code: expected.code } } });
  expect(body.detail, what).toEqual(expected.detail ?? null);
  expect(body, what).not.toHaveProperty('versionnumber');
  const message = body.result.error?.message ?? '';
  if (typeof expected.message === 'string') expect(message, what).toBe(expected.message);
  else expect(message, what).toMatch(expected.message);
}

/** system-config.json as text; '' before anything was ever written. */
async function configText(): Promise<string> {
  try {
    return await readFile(join(s.dataDir, 'system-config.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

const config = async (): Promise<Record<string, { value: string | null; type: string; desc: string }>> =>
  (JSON.parse(await readFile(join(s.dataDir, 'system-config.json'), 'utf8')) as { entries: Record<string, { value: string | null; type: string; desc: string }> }).entries;

// ---- the lock-out tests' logins ----

const wrongLogin = () => s.login(USER.name, 'not-bobs-password');

/**
 * How many wrong logins of bob from this client are answered 401 before the first is refused as locked (429).
 * They go in concurrent pairs: the failure that starts a lock does so before its slow password check, so
 * the other request of its pair is refused at once, whatever the machine's speed. `whenLocked` runs the
 * moment the 429 arrives (the lock has just begun); its result is returned with the 429.
 */
async function failuresBeforeLock<T>(whenLocked: () => Promise<T>): Promise<{ failures: number; refusal: RawResponse; locked: T }> {
  let failures = 0;
  for (let pair = 0; pair < 10; pair++) {
    let locked: Promise<T> | null = null;
    const sent = [wrongLogin(), wrongLogin()].map((request) =>
      request.then((answer) => {
        if (answer.status === 429 && locked === null) locked = whenLocked();
        return answer;
      }),
    );
    const answers = await Promise.all(sent);
    for (const answer of answers) {
      if (answer.status === 401) {
        expect(answer.body).toBe('{"error":"Invalid username or password"}\n');
        failures += 1;
      } else {
        expect(answer.status, answer.body).toBe(429);
      }
    }
    const refusal = answers.find((answer) => answer.status === 429);
    if (refusal && locked !== null) return { failures, refusal, locked: await (locked as Promise<T>) };
  }
  throw new Error(`no lock after ${failures} failed logins`);
}

/** bob logs in with his password once any lock has ended (a successful login resets his count). */
async function bobLogsIn(): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const answer = await s.login(USER.name, USER.password);
    if (answer.status === 200) return;
    expect(answer.status, answer.body).toBe(429);
    await sleep(250);
  }
  throw new Error('bob stayed locked out');
}

test.describe('/system on one serve', () => {
  test.beforeAll(async () => {
    s = await startSystemServe({ accessMinutes: 30 });
  });

  test.afterAll(async () => {
    if (!s) return;
    const left = await s.stop();
    await s.close();
    expect(left.map((p) => p.cmdline.join(' ')), 'processes serve left behind').toEqual([]);
  });

  test('auth: a token from POST /api/login in each header privacyIDEA and raspiCamSrv clients use; each refusal with its code', async () => {
    const key = await jwtKeyOf(s.secretsPath);
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'HS256', typ: 'JWT' };
    const refresh = (await s.tokens(ADMIN.name, ADMIN.password)).refresh_token ?? '';
    expect(refresh).not.toBe('');
    const rows: Array<{ name: string; headers: () => Headers; path?: string; expected: 'ok' | Refusal }> = [
      { name: 'PI-Authorization: <jwt>', headers: () => piAuth(s.adminToken), expected: 'ok' },
      { name: 'Authorization: <jwt>', headers: () => rawAuth(s.adminToken), expected: 'ok' },
      { name: 'Authorization: Bearer <jwt>', headers: () => bearerAuth(s.adminToken), expected: 'ok' },
      { name: 'the user token in PI-Authorization', headers: () => piAuth(s.userToken), expected: 'ok' },
      { name: 'the user token in Authorization', headers: () => rawAuth(s.userToken), expected: 'ok' },
      { name: 'the user token in Authorization: Bearer', headers: () => bearerAuth(s.userToken), expected: 'ok' },
      { name: 'PI-Authorization is read first', headers: () => ({ ...piAuth(s.adminToken), Authorization: 'not-a-jwt' }), expected: 'ok' },
      {
        name: 'a bad PI-Authorization is not rescued by a good Authorization',
        headers: () => ({ 'PI-Authorization': 'not-a-jwt', ...bearerAuth(s.adminToken) }),
        expected: { status: 401, code: 4304, message: new RegExp(`^${escape(DECODING)}.+`) },
      },
      { name: 'no header', headers: () => ({}), expected: { status: 401, code: 4033, message: MISSING_HEADER } },
      { name: 'an empty Authorization header', headers: () => ({ Authorization: '' }), expected: { status: 401, code: 4033, message: MISSING_HEADER } },
      { name: '"Bearer" and nothing after it', headers: () => ({ Authorization: 'Bearer' }), expected: { status: 401, code: 4033, message: MISSING_HEADER } },
      { name: 'not a JWT', headers: () => rawAuth('not-a-jwt'), expected: { status: 401, code: 4304, message: new RegExp(`^${escape(DECODING)}.+`) } },
      {
        name: 'two words after Bearer',
        headers: () => bearerAuth(`${s.adminToken} again`),
        expected: { status: 401, code: 4304, message: `${DECODING}send the token alone or as 'Bearer <token>'` },
      },
      {
        name: 'signed with another key',
        headers: () => rawAuth(forgeJwt(header, flaskClaims(ADMIN.name, now), 'not-the-key-of-this-server-0123456789')),
        expected: { status: 401, code: 4304, message: new RegExp(`^${escape(DECODING)}.+`) },
      },
      {
        name: 'alg none',
        headers: () => rawAuth(forgeJwt({ alg: 'none', typ: 'JWT' }, flaskClaims(ADMIN.name, now), '', 'none')),
        expected: { status: 401, code: 4304, message: new RegExp(`^${escape(DECODING)}.+`) },
      },
      {
        name: 'a refresh token',
        headers: () => rawAuth(refresh),
        expected: { status: 401, code: 4304, message: `${DECODING}this is a refresh token; send the access token from POST /api/login` },
      },
      {
        name: 'expired (signed with the key from the secrets file)',
        headers: () => rawAuth(forgeJwt(header, flaskClaims(ADMIN.name, now - 7200, { exp: now - 60 }), key)),
        expected: { status: 401, code: 4305, message: EXPIRED },
      },
      {
        name: 'a role-user token on an admin-only endpoint',
        headers: () => piAuth(s.userToken),
        path: '/documentation',
        expected: { status: 401, code: 4306, message: WRONG_ROLE, detail: {} },
      },
    ];
    for (const row of rows) {
      const answer = await get(row.path ?? '/', row.headers());
      if (row.expected === 'ok') expect(valueOf(answer), row.name).toMatchObject({ PrependPin: expect.any(String) });
      else expectRefusal(answer, row.expected, row.name);
      // A refusal never repeats the token it was sent.
      for (const sent of Object.values(row.headers())) if (sent.length > 20) expect(answer.body, row.name).not.toContain(sent.replace(/^Bearer /, ''));
    }
  });

  test('roles: a role-user token reads config and names; every admin-only endpoint refuses it with 401/4306 and does nothing', async () => {
    const email = form({ 'email.mailserver': '127.0.0.1', 'email.port': String(await closedPort()), 'email.mailfrom': 'cam@example.org', 'email.recipient': 'me@example.org' });
    const rows: Array<{ method: string; path: string; body?: Body; role: 'user' | 'admin' }> = [
      { method: 'GET', path: '/', role: 'user' },
      { method: 'GET', path: '/PrependPin', role: 'user' },
      { method: 'GET', path: '/names/radius', role: 'user' },
      { method: 'GET', path: '/names/caconnector', role: 'user' },
      { method: 'POST', path: '/setConfig', body: form({ 'roles.key': 'by bob' }), role: 'admin' },
      { method: 'POST', path: '/setDefault', body: form({ DefaultOtpLen: '8' }), role: 'admin' },
      { method: 'DELETE', path: '/roles.kept', role: 'admin' },
      { method: 'GET', path: '/documentation', role: 'admin' },
      { method: 'GET', path: '/random', role: 'admin' },
      { method: 'GET', path: '/nodes', role: 'admin' },
      { method: 'GET', path: '/hsm', role: 'admin' },
      { method: 'POST', path: '/hsm', body: form({ password: 'whatever-it-is' }), role: 'admin' },
      { method: 'POST', path: '/test/email', body: email, role: 'admin' },
      { method: 'POST', path: '/test/hotp', role: 'admin' },
      { method: 'GET', path: '/gpgkeys', role: 'admin' },
    ];
    valueOf(await post('/setConfig', form({ 'roles.kept': 'stays' })));
    for (const row of rows) {
      const answer = await call(row.method, row.path, user(), row.body);
      const what = `${row.method} ${row.path}`;
      if (row.role === 'user') expect(valueOf(answer), what).toBeDefined();
      else expectRefusal(answer, { status: 401, code: 4306, message: WRONG_ROLE, detail: {} }, what);
    }
    expect(valueOf(await get('/roles.key'))).toBeNull();
    expect(valueOf(await get('/roles.kept'))).toBe('stays');
    expect(valueOf(await get('/DefaultOtpLen'))).toBeNull();
  });

  test('refusals: ERR77, ERR905, ERR707, 404/601 and 405 come in the JSON envelope', async () => {
    const rows: Array<{ name: string; method: string; path: string; body?: Body; offSpec?: boolean; expected: Refusal; allow?: string }> = [
      { name: 'setDefault without a known key', method: 'POST', path: '/setDefault', body: form({ Unknown: '1' }), expected: { status: 400, code: 77, message: SET_DEFAULT_USAGE } },
      { name: 'setDefault with nothing', method: 'POST', path: '/setDefault', expected: { status: 400, code: 77, message: SET_DEFAULT_USAGE } },
      {
        name: 'setDefault with an empty value',
        method: 'POST',
        path: '/setDefault',
        body: form({ DefaultOtpLen: '' }),
        expected: { status: 400, code: 905, message: 'ERR905: Missing parameter: defaultotplen' },
      },
      { name: 'hsm without a password', method: 'POST', path: '/hsm', expected: { status: 400, code: 905, message: 'ERR905: Missing parameter: password' } },
      { name: 'hsm when nothing is locked', method: 'POST', path: '/hsm', body: form({ password: 'anything-at-all' }), expected: { status: 400, code: 707, message: 'ERR707: HSM already set up.' } },
      { name: 'an unknown token type', method: 'POST', path: '/test/nonsense', expected: { status: 400, code: 905, message: /^ERR905: Unknown token type\. Known types: hotp, / } },
      {
        name: 'email test without a recipient',
        method: 'POST',
        path: '/test/email',
        body: form({ 'email.mailserver': '127.0.0.1', 'email.mailfrom': 'cam@example.org' }),
        expected: { status: 400, code: 905, message: 'ERR905: Missing parameter: email.recipient' },
      },
      {
        name: 'setConfig of a key that is a fixed route',
        method: 'POST',
        path: '/setConfig',
        body: form({ documentation: 'x' }),
        expected: { status: 400, code: 905, message: /^ERR905: The config key "documentation" is not accepted: This key is the name of a \/system endpoint$/ },
      },
      {
        name: 'a JSON body that is not JSON',
        method: 'POST',
        path: '/setConfig',
        body: { headers: { 'Content-Type': 'application/json' }, body: '{"a": ' },
        expected: { status: 400, code: 400, message: /^Bad Request: Failed to decode JSON object/ },
      },
      {
        name: 'a nested value',
        method: 'POST',
        path: '/setConfig',
        body: json({ nested: { a: 1 } }),
        expected: { status: 400, code: 905, message: 'ERR905: Parameter values must be text, numbers, true, false or null; objects and lists are refused' },
      },
      { name: 'a deeper path under the key route', method: 'GET', path: '/some/deeper', offSpec: true, expected: { status: 404, code: 601, message: NOT_FOUND } },
      { name: 'POST /system/test/ without a type', method: 'POST', path: '/test/', offSpec: true, expected: { status: 404, code: 601, message: NOT_FOUND } },
      {
        name: 'POST on the key route',
        method: 'POST',
        path: '/some.key',
        offSpec: true,
        expected: { status: 405, code: 405, message: 'The method is not allowed for the requested URL.' },
        allow: 'DELETE, GET, HEAD, OPTIONS',
      },
      {
        name: 'PUT /system/setConfig',
        method: 'PUT',
        path: '/setConfig',
        offSpec: true,
        expected: { status: 405, code: 405, message: 'The method is not allowed for the requested URL.' },
        allow: 'DELETE, GET, HEAD, OPTIONS, POST',
      },
    ];
    for (const row of rows) {
      const answer = await call(row.method, row.path, admin(), row.body, row.offSpec);
      expectRefusal(answer, row.expected, row.name);
      if (row.allow) expect(answer.headers.allow, row.name).toBe(row.allow);
    }
    expect(valueOf(await get('/documentation.x'))).toBeNull();
    // The OpenAPI check is on: the same deeper path without offSpec fails the request itself.
    await expect(http(`${s.system}/some/deeper`, { headers: admin() })).rejects.toThrow('GET /system/some/deeper: the path is not in docs/openapi.json');

    // GET /system (no slash) is redirected to the list, as Flask's strict slashes do.
    const redirected = await http(`${s.base}/system`, { headers: admin() });
    expect(redirected.status).toBe(308);
    expect(redirected.headers.location).toBe('/system/');
  });

  test('setConfig: insert vs update, .type and .desc kept, values as Python\'s str(), metadata never stored', async () => {
    expect(valueOf(await post('/setConfig', form({ 'cam.label': 'Hall', 'cam.label.type': 'string', 'cam.label.desc': 'Where the camera is' })))).toEqual({
      'cam.label': 'insert',
    });
    expect((await config())['cam.label']).toEqual({ value: 'Hall', type: 'string', desc: 'Where the camera is' });
    // An update without .type/.desc keeps both.
    expect(valueOf(await post('/setConfig', form({ 'cam.label': 'Porch' })))).toEqual({ 'cam.label': 'update' });
    expect((await config())['cam.label']).toEqual({ value: 'Porch', type: 'string', desc: 'Where the camera is' });
    expect(valueOf(await get('/cam.label'))).toBe('Porch');
    // A new description replaces the old one; an empty one does not.
    expect(valueOf(await post('/setConfig', form({ 'cam.label': 'Porch', 'cam.label.desc': 'Front door', 'cam.label.type': '' })))).toEqual({ 'cam.label': 'update' });
    expect((await config())['cam.label']).toEqual({ value: 'Porch', type: 'string', desc: 'Front door' });

    // JSON scalars become str(): true → "True", 10 → "10", null stays null.
    expect(valueOf(await post('/setConfig', json({ 'str.bool': true, 'str.int': 10, 'str.float': 1.5, 'str.null': null })))).toEqual({
      'str.bool': 'insert',
      'str.int': 'insert',
      'str.float': 'insert',
      'str.null': 'insert',
    });
    const all = valueOf(await get('/')) as Record<string, string | null>;
    expect(all).toMatchObject({ 'str.bool': 'True', 'str.int': '10', 'str.float': '1.5', 'str.null': null, 'cam.label': 'Porch' });
    expect(all['__timestamp__']).toMatch(/^\d+(\.\d+)?$/);
    expect(valueOf(await get('/str.null'))).toBeNull();

    // Metadata without its key is ignored, never stored; an empty request is no error.
    expect(valueOf(await post('/setConfig', form({ 'orphan.type': 'public', 'orphan.desc': 'nothing' })))).toEqual({});
    expect(valueOf(await post('/setConfig', undefined))).toEqual({});
    const stored = await config();
    expect(Object.keys(stored).filter((key) => /\.(type|desc)$/.test(key) || key.startsWith('orphan'))).toEqual([]);

    // Every write bumps __timestamp__.
    const before = (await config())['__timestamp__']?.value;
    await sleep(20);
    valueOf(await post('/setConfig', form({ 'cam.label': 'Garden' })));
    expect((await config())['__timestamp__']?.value).not.toBe(before);
  });

  test('visibility: users see public and .identifier keys and "True" for the default-true keys; admins see everything', async () => {
    valueOf(
      await post('/setConfig', form({ 'vis.hidden': 'h', 'vis.public': 'p', 'vis.public.type': 'public', 'site.identifier': 'cam-7', PrependPin: 'False' })),
    );
    const forAdmin = valueOf(await get('/')) as Record<string, string | null>;
    expect(forAdmin).toMatchObject({ 'vis.hidden': 'h', 'vis.public': 'p', 'site.identifier': 'cam-7', PrependPin: 'False', splitAtSign: 'True', IncFailCountOnFalsePin: 'True' });
    expect(forAdmin).toHaveProperty('__timestamp__');

    const forUser = valueOf(await get('/', user())) as Record<string, string | null>;
    expect(forUser).toMatchObject({ 'vis.public': 'p', 'site.identifier': 'cam-7', PrependPin: 'True', splitAtSign: 'True', IncFailCountOnFalsePin: 'True' });
    for (const hidden of ['vis.hidden', '__timestamp__']) expect(forUser, hidden).not.toHaveProperty(hidden);
    // Nothing else: every key a user sees is public, an identifier or a default-true key.
    const publicKeys = Object.entries(await config()).filter(([key, entry]) => entry.type === 'public' || key.endsWith('.identifier')).map(([key]) => key);
    expect(Object.keys(forUser).sort()).toEqual([...new Set([...publicKeys, 'PrependPin', 'splitAtSign', 'IncFailCountOnFalsePin'])].sort());

    const rows: Array<[string, string | null, string | null]> = [
      // key, what the user reads, what the admin reads
      ['/vis.hidden', null, 'h'],
      ['/vis.public', 'p', 'p'],
      ['/site.identifier', 'cam-7', 'cam-7'],
      ['/PrependPin', 'True', 'False'],
      ['/splitAtSign', 'True', 'True'],
      ['/IncFailCountOnFalsePin', 'True', 'True'],
      ['/never.set', null, null],
    ];
    for (const [path, forBob, forAlice] of rows) {
      expect(valueOf(await get(path, user())), `user ${path}`).toBe(forBob);
      expect(valueOf(await get(path)), `admin ${path}`).toBe(forAlice);
    }
    // Typed public, the stored value reaches users too.
    valueOf(await post('/setConfig', form({ PrependPin: 'False', 'PrependPin.type': 'public' })));
    expect(valueOf(await get('/PrependPin', user()))).toBe('False');
  });

  test('delete: true when an entry went, false when there was none; both 200', async () => {
    valueOf(await post('/setConfig', form({ 'del.me': 'soon' })));
    expect(valueOf(await del('/del.me'))).toBe(true);
    expect(valueOf(await get('/del.me'))).toBeNull();
    expect(valueOf(await del('/del.me'))).toBe(false);
    expect(valueOf(await del('/never.there'))).toBe(false);
    expect((await config())['del.me']).toBeUndefined();
  });

  test('password-typed values: admins read them decrypted, users never; system-config.json never holds them; the type sticks; documentation censors', async () => {
    const first = `pw-${randomBytes(12).toString('hex')}`;
    const second = `pw-${randomBytes(12).toString('hex')}`;
    expect(valueOf(await post('/setConfig', form({ 'smtp.secret': first, 'smtp.secret.type': 'password', 'smtp.secret.desc': 'relay password' })))).toEqual({
      'smtp.secret': 'insert',
    });
    expect(valueOf(await get('/smtp.secret'))).toBe(first);
    expect((valueOf(await get('/')) as Record<string, string>)['smtp.secret']).toBe(first);
    let file = await configText();
    expect(file).not.toContain(first);
    expect((await config())['smtp.secret']).toMatchObject({ type: 'password', desc: 'relay password', value: expect.stringMatching(/.{20,}/) });

    expect(valueOf(await get('/smtp.secret', user()))).toBeNull();
    expect(valueOf(await get('/', user()))).not.toHaveProperty('smtp.secret');

    // Updated without .type=password: still encrypted (privacyIDEA would store it in clear and fail to decrypt it).
    expect(valueOf(await post('/setConfig', json({ 'smtp.secret': second })))).toEqual({ 'smtp.secret': 'update' });
    expect(valueOf(await get('/smtp.secret'))).toBe(second);
    file = await configText();
    expect(file).not.toContain(first);
    expect(file).not.toContain(second);
    expect((await config())['smtp.secret']?.type).toBe('password');

    const documentation = await get('/documentation');
    expect(documentation.status).toBe(200);
    expect(documentation.body).toContain('smtp.secret');
    expect(documentation.body).toContain('__CENSORED__');
    expect(documentation.body).not.toContain(first);
    expect(documentation.body).not.toContain(second);
  });

  test('random: len bytes as lowercase hex (default 20) or base64; a bad len is 400 ERR905, not 500', async () => {
    const rows: Array<{ query: string; expected: RegExp | Refusal }> = [
      { query: '', expected: /^[0-9a-f]{40}$/ },
      { query: '?len=32', expected: /^[0-9a-f]{64}$/ },
      { query: '?len=32&encode=b64', expected: /^[A-Za-z0-9+/]{43}=$/ },
      { query: '?len=1', expected: /^[0-9a-f]{2}$/ },
      { query: '?len=1024', expected: /^[0-9a-f]{2048}$/ },
      { query: '?len=3&encode=b64', expected: /^[A-Za-z0-9+/]{4}$/ },
      { query: '?encode=B64', expected: /^[0-9a-f]{40}$/ },
      { query: '?len=', expected: /^[0-9a-f]{40}$/ },
      { query: '?len=0', expected: { status: 400, code: 905, message: RANDOM_LEN } },
      { query: '?len=1025', expected: { status: 400, code: 905, message: RANDOM_LEN } },
      { query: '?len=-1', expected: { status: 400, code: 905, message: RANDOM_LEN } },
      { query: '?len=abc', expected: { status: 400, code: 905, message: RANDOM_LEN } },
      { query: '?len=1.5', expected: { status: 400, code: 905, message: RANDOM_LEN } },
    ];
    const seen = new Set<string>();
    for (const row of rows) {
      const answer = await get(`/random${row.query}`);
      if (row.expected instanceof RegExp) {
        const random = valueOf(answer) as string;
        expect(random, row.query).toMatch(row.expected);
        seen.add(random);
      } else {
        expectRefusal(answer, row.expected, row.query);
      }
    }
    // Random, not fixed: the eight answers differ.
    expect(seen.size).toBe(8);
    // Parameters may come as JSON too, even on a GET.
    expect(valueOf(await call('GET', '/random', admin(), json({ len: 16 })))).toMatch(/^[0-9a-f]{32}$/);
  });

  test('parameters: query string, form and JSON merged in privacyIDEA\'s order; the seed\'s bare-lines body is refused and writes nothing', async () => {
    // The example request body of the privacyIDEA documentation: lines, not a JSON object.
    const before = await configText();
    const bareLines = '"splitAtSign": true\n"totp.hashlib": "sha1"\n"totp.hashlib.desc": "The hash algorithm used for TOTP tokens"\n';
    expectRefusal(await post('/setConfig', { headers: { 'Content-Type': 'application/json' }, body: bareLines }), {
      status: 400,
      code: 400,
      message: /^Bad Request: Failed to decode JSON object/,
    });
    expect(await configText()).toBe(before);
    expect(valueOf(await get('/totp.hashlib'))).toBeNull();
    // The same as one JSON object is what works.
    expect(valueOf(await post('/setConfig', json({ splitAtSign: true, 'totp.hashlib': 'sha1', 'totp.hashlib.desc': 'The hash algorithm used for TOTP tokens' })))).toEqual({
      splitAtSign: 'insert',
      'totp.hashlib': 'insert',
    });
    expect(valueOf(await get('/splitAtSign'))).toBe('True');
    expect((await config())['totp.hashlib']).toEqual({ value: 'sha1', type: '', desc: 'The hash algorithm used for TOTP tokens' });

    // The query string alone.
    expect(valueOf(await http(`${s.system}/setConfig?q.only=fromQuery`, { method: 'POST', headers: admin() }))).toEqual({ 'q.only': 'insert' });
    expect(valueOf(await get('/q.only'))).toBe('fromQuery');
    // Form values are percent-decoded a second time, JSON values never; privacyIDEA's own plugins are not re-decoded.
    valueOf(await post('/setConfig', form({ 'enc.form': 'a%20b' })));
    valueOf(await post('/setConfig', json({ 'enc.json': 'a%20b' })));
    valueOf(await post('/setConfig', form({ 'enc.plugin': 'a%20b' }), { ...admin(), 'User-Agent': 'privacyidea-cp/2.0' }));
    expect(valueOf(await get('/enc.form'))).toBe('a b');
    expect(valueOf(await get('/enc.json'))).toBe('a%20b');
    expect(valueOf(await get('/enc.plugin'))).toBe('a%20b');
    // Later sources win: JSON over the query string; among query and form the query's value comes first.
    valueOf(await http(`${s.system}/setConfig?prec.json=query`, { method: 'POST', headers: { ...admin(), 'Content-Type': 'application/json' }, body: JSON.stringify({ 'prec.json': 'json' }) }));
    valueOf(await http(`${s.system}/setConfig?prec.form=query`, { method: 'POST', headers: { ...admin(), 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'prec.form=form' }));
    expect(valueOf(await get('/prec.json'))).toBe('json');
    expect(valueOf(await get('/prec.form'))).toBe('query');
    // A JSON object under another content type counts too (privacyIDEA's get_json(force=True)).
    expect(valueOf(await post('/setConfig', { headers: { 'Content-Type': 'text/plain' }, body: '{"plain.json": "yes"}' }))).toEqual({ 'plain.json': 'insert' });
    // setConfig is atomic: one bad key refuses the whole request.
    expectRefusal(await post('/setConfig', form({ 'atomic.ok': '1', random: 'x' })), { status: 400, code: 905, message: /"random" is not accepted/ });
    expect(valueOf(await get('/atomic.ok'))).toBeNull();
  });

  test('setDefault: privacyIDEA\'s names in its order, matched case-insensitively; values checked; a bad request writes nothing', async () => {
    const first = await post('/setDefault', form({ DefaultSyncWindow: '500', DefaultOtpLen: '8' }));
    expect(valueOf(first)).toEqual({ DefaultSyncWindow: 'insert', DefaultOtpLen: 'insert' });
    // Keys sorted, as Flask's jsonify writes them.
    expect(first.body).toContain('"value":{"DefaultOtpLen":"insert","DefaultSyncWindow":"insert"}');
    expect(valueOf(await post('/setDefault', json({ defaultcountwindow: 12, session: 'abc', Unknown: 'x' })))).toEqual({ DefaultCountWindow: 'insert' });
    expect(valueOf(await post('/setDefault', form({ DefaultOtpLen: '6', DefaultResetFailCount: 'true', DefaultSyncWindow: '007' })))).toEqual({
      DefaultSyncWindow: 'update',
      DefaultOtpLen: 'update',
      DefaultResetFailCount: 'insert',
    });
    const read = async () => Object.fromEntries(await Promise.all(['DefaultSyncWindow', 'DefaultCountWindow', 'DefaultOtpLen', 'DefaultResetFailCount'].map(async (key) => [key, valueOf(await get(`/${key}`))])));
    const good = { DefaultSyncWindow: '7', DefaultCountWindow: '12', DefaultOtpLen: '6', DefaultResetFailCount: 'True' };
    expect(await read()).toEqual(good);
    expect(valueOf(await get('/defaultcountwindow'))).toBeNull();

    const bad: Array<[Record<string, string>, string | RegExp]> = [
      [{ DefaultSyncWindow: '900', DefaultOtpLen: '7' }, 'ERR905: Invalid parameter DefaultOtpLen: An OTP has 6 or 8 digits'],
      [{ DefaultSyncWindow: '900', DefaultOtpLen: '' }, 'ERR905: Missing parameter: defaultotplen'],
      [{ DefaultSyncWindow: '900', DefaultMaxFailCount: '-1' }, /^ERR905: Invalid parameter DefaultMaxFailCount: /],
      [{ DefaultCountWindow: '900', DefaultMaxFailCount: 'abc' }, /^ERR905: Invalid parameter DefaultMaxFailCount: /],
      [{ DefaultCountWindow: '900', DefaultResetFailCount: 'maybe' }, 'ERR905: Invalid parameter DefaultResetFailCount: Enter True or False'],
      [{ DefaultSyncWindow: '900', defaultsyncwindow: '901' }, /^ERR905: DefaultSyncWindow was given twice/],
    ];
    for (const [params, message] of bad) {
      expectRefusal(await post('/setDefault', form(params)), { status: 400, code: 905, message }, JSON.stringify(params));
      expect(await read(), JSON.stringify(params)).toEqual(good);
    }
    // The same rules hold when the keys come through setConfig.
    expectRefusal(await post('/setConfig', form({ DefaultOtpLen: '7' })), { status: 400, code: 905, message: /DefaultOtpLen/ });
    expectRefusal(await post('/setConfig', form({ DefaultOtpLen: '8', 'DefaultOtpLen.type': 'password' })), { status: 400, code: 905, message: /cannot be password-typed/ });
    expect(await read()).toEqual(good);
  });

  test('documentation: a text/plain attachment documentation.rst that docutils renders without a warning, secrets censored', async () => {
    valueOf(
      await post('/setConfig', form({ 'doc.tricky': '*not emphasis* `x` |sub| _target_ .. note:: a\\b', 'doc.tricky.desc': 'Line: one\nline two', 'doc.pw': 'doc-secret-1', 'doc.pw.type': 'password' })),
    );
    const answer = await get('/documentation');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.headers['content-disposition']).toBe('attachment; filename=documentation.rst');
    expect(answer.headers['cache-control']).toBe('no-cache');
    const report = checkWithDocutils(answer.body);
    expect(report.messages).toEqual([]);
    expect(report.html).toContain('CamPanel configuration documentation');
    const headings = [...report.html.matchAll(/<h1>(.*?)<\/h1>/g)].map((match) => match[1]);
    expect(headings).toEqual(['Node', 'API settings', 'Users and roles', 'System configuration', 'Defaults', 'Cameras and pipeline', 'Notifications', 'Registered nodes']);
    // What a reader sees: the values verbatim, the password censored, the users named.
    expect(report.text).toContain('*not emphasis* `x` |sub| _target_ .. note:: a\\b');
    expect(report.text).toContain('__CENSORED__');
    expect(report.text).not.toContain('doc-secret-1');
    expect(report.text).toContain(ADMIN.name);
    expect(report.text).toContain(USER.name);
    expect(answer.body).not.toContain(await jwtKeyOf(s.secretsPath));
  });

  test('names/radius and names/caconnector: empty lists, for both roles', async () => {
    for (const headers of [admin(), user()]) {
      expect(valueOf(await get('/names/radius', headers))).toEqual([]);
      expect(valueOf(await get('/names/caconnector', headers))).toEqual([]);
    }
  });

  test('gpgkeys: a key with a secret part in the configured GnuPG home is listed, a public-only key is not; users are refused', async () => {
    const root = mkdtempSync(join(tmpdir(), 'campanel-e2e-gpg-'));
    const home = join(root, 'home');
    const other = join(root, 'other');
    try {
      // No home configured and none at <dataDir>/gpg: an empty object.
      expect(valueOf(await get('/gpgkeys'))).toEqual({});
      const secretFpr = makeKey(home, 'CamPanel E2E <e2e@example.org>');
      const publicFpr = makeKey(other, 'Someone Else <else@example.org>');
      gpg(home, ['--import'], gpg(other, ['--armor', '--export', publicFpr]));
      expect(gpg(home, ['--with-colons', '--list-keys'])).toContain(publicFpr);

      valueOf(await post('/setConfig', form({ 'gpg.home': home })));
      const keys = valueOf(await get('/gpgkeys')) as Record<string, { armor: string; fingerprint: string }>;
      expect(Object.keys(keys)).toEqual([secretFpr.slice(-16)]);
      expect(keys[secretFpr.slice(-16)]?.fingerprint).toBe(secretFpr);
      expect(keys[secretFpr.slice(-16)]?.armor).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----\n[\s\S]+-----END PGP PUBLIC KEY BLOCK-----\n$/);
      expect(JSON.stringify(keys)).not.toContain('PRIVATE KEY');
      expectRefusal(await get('/gpgkeys', user()), { status: 401, code: 4306, message: WRONG_ROLE, detail: {} });
      valueOf(await del('/gpg.home'));
    } finally {
      // serve stops the agent of the home it listed when it stops; the test stops both now.
      for (const dir of [home, other]) spawnSync('gpgconf', ['--homedir', dir, '--kill', 'gpg-agent'], { stdio: 'ignore', timeout: 10_000 });
      let agents = agentsUnder(root);
      for (let i = 0; i < 50 && agents.length > 0; i++) {
        await sleep(100);
        agents = agentsUnder(root);
      }
      rmSync(root, { recursive: true, force: true });
      expect(agents.map((p) => p.cmdline.join(' ')), 'gpg-agents left running').toEqual([]);
    }
  });

  test('test/email: a real mail through a local SMTP server; wrong login, refused port and silence each answer in their own words', async () => {
    test.setTimeout(90_000);
    const good = await startSmtp();
    const picky = await startSmtp({ allowInsecureAuth: true, onAuth: (_auth, _session, done) => done(new Error('Invalid username or password')) });
    const silent = await startSilentServer();
    const refusedPort = await closedPort();
    const params = (port: number, extra: Record<string, string> = {}) =>
      form({ 'email.mailserver': '127.0.0.1', 'email.port': String(port), 'email.mailfrom': 'camera@example.org', 'email.recipient': 'owner@example.org', ...extra });
    try {
      const rows: Array<{ name: string; body: Body; ok: boolean; message: string }> = [
        { name: 'sent', body: params(good.port), ok: true, message: EMAIL_SENT },
        {
          name: 'wrong user name or password',
          body: params(picky.port, { 'email.username': 'mailer', 'email.password': 'wrong-mail-password-9' }),
          ok: false,
          message: `Could not send email: The mail server 127.0.0.1:${picky.port} refused the user name or password.`,
        },
        {
          name: 'nothing listening',
          body: params(refusedPort),
          ok: false,
          message: `Could not send email: Nothing accepts connections at 127.0.0.1:${refusedPort} (connection refused). Check the host and port.`,
        },
        {
          name: 'a server that never greets',
          body: params(silent.port),
          ok: false,
          message: `Could not send email: The mail server 127.0.0.1:${silent.port} did not answer in time.`,
        },
      ];
      for (const row of rows) {
        // The send is bounded at 15 s (the panel shows an answer, not a spinner); HTTP gets a little slack.
        const answer = await within(17_000, row.name, post('/test/email', row.body));
        expect(answer.status, `${row.name}: ${answer.body}`).toBe(200);
        const body = envelope(answer);
        expect(body.result.value, row.name).toBe(row.ok);
        expect(body.detail, row.name).toEqual({ message: row.message, threadid: expect.any(Number) });
        expect(answer.body, row.name).not.toContain('wrong-mail-password-9');
      }
      expect(good.received).toHaveLength(1);
      const mail = good.received[0];
      expect(mail?.from).toBe('camera@example.org');
      expect(mail?.to).toEqual(['owner@example.org']);
      expect(parseMail(mail?.raw ?? '').headers.subject).toBe('CamPanel test mail');
      expect(picky.logins).toEqual([{ user: 'mailer', password: 'wrong-mail-password-9' }]);
      expect(picky.received).toEqual([]);
      // Other known types have no test.
      const hotp = await post('/test/HMAC', undefined);
      expect(valueOf(hotp)).toBe(false);
      expect(envelope(hotp).detail).toEqual({ message: 'Not implemented', threadid: expect.any(Number) });
    } finally {
      await Promise.all([good.close(), picky.close(), silent.close()]);
    }
  });

  // ---- setDefault changes the network lock-out live (failuresBeforeLock explains how locks are found) ----

  test('lock-out: with DefaultMaxFailCount=2, two wrong logins are answered and the third attempt is refused as locked (privacyIDEA\'s maxfail)', async () => {
    // Decision 4: DefaultMaxFailCount = consecutive failed logins before a user is locked.
    try {
      valueOf(await post('/setDefault', form({ DefaultMaxFailCount: '2', DefaultResetFailCount: 'True' })));
      await bobLogsIn();
      const { failures } = await failuresBeforeLock(() => Promise.resolve(null));
      expect(failures, 'wrong logins answered 401 before the first refusal').toBe(2);
    } finally {
      valueOf(await post('/setDefault', form({ DefaultMaxFailCount: '5' })));
      await bobLogsIn();
    }
  });

  test('lock-out: setDefault changes DefaultMaxFailCount live; a lock refuses even the right password; back to 5 applies to new failures', async () => {
    test.setTimeout(90_000);
    try {
      valueOf(await post('/setDefault', form({ DefaultMaxFailCount: '2', DefaultResetFailCount: 'True' })));
      await bobLogsIn();
      // The moment the lock begins, bob's right password is refused too: the lock is not a wrong password.
      const strict = await failuresBeforeLock(() => s.login(USER.name, USER.password));
      expect(strict.refusal.headers['retry-after']).toBe('1');
      expect(strict.refusal.body).toBe('{"error":"Too many failed login attempts. Try again in 1 second."}\n');
      expect(strict.locked.status, strict.locked.body).toBe(429);

      valueOf(await post('/setDefault', form({ DefaultMaxFailCount: '5' })));
      await bobLogsIn();
      const lenient = await failuresBeforeLock(() => Promise.resolve(null));
      expect(lenient.refusal.status).toBe(429);
      // Three more free failures than with 2, whatever the count at which a lock starts.
      expect(lenient.failures - strict.failures).toBe(3);
      expect(strict.failures).toBeGreaterThanOrEqual(2);
      expect(strict.failures).toBeLessThanOrEqual(3);
    } finally {
      valueOf(await post('/setDefault', form({ DefaultMaxFailCount: '5' })));
      await bobLogsIn();
    }
  });

  test('nodes: this installation with a uuid made once and kept across a restart of serve', async () => {
    const nodes = valueOf(await get('/nodes')) as Array<{ name: string; uuid: string }>;
    expect(nodes).toHaveLength(1);
    expect(nodes[0]?.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(nodes[0]?.name).not.toBe('');
    await s.restart();
    // The JWT key is read from the secrets file again: the token from before the restart still works.
    expect(valueOf(await get('/nodes'))).toEqual(nodes);
  });
});

test.describe('hsm: the passphrase-protected secrets file', () => {
  test.describe.configure({ mode: 'serial' });
  const PASSPHRASE = 'correct horse battery staple 7';
  const SECOND_PASSPHRASE = 'another long passphrase 8';
  const stored = `hsm-${randomBytes(12).toString('hex')}`;
  const LOCKED_LOGIN = '{"msg":"Secrets locked: the API starts once an admin unlocks the secrets file"}\n';
  const NOT_READY: Refusal = { status: 400, code: 707, message: 'ERR707: hsm not ready!' };
  const WRONG_PASSPHRASE: Refusal = { status: 400, code: 707, message: 'ERR707: Error decrypting the encryption key. You probably provided the wrong password.' };
  const ALREADY: Refusal = { status: 400, code: 707, message: 'ERR707: HSM already set up.' };
  let jwtKey = '';

  test.beforeAll(async () => {
    s = await startSystemServe();
  });

  test.afterAll(async () => {
    if (!s) return;
    const left = await s.stop();
    await s.close();
    expect(left.map((p) => p.cmdline.join(' ')), 'processes serve left behind').toEqual([]);
  });

  /** /api/login with alice's password until the API answers 200 (it restarts after an unlock). */
  async function apiComesUp(): Promise<string> {
    const token = await poll('the API serves logins again', 15_000, async () => {
      const answer = await s.login(ADMIN.name, ADMIN.password).catch(() => null);
      if (answer === null || answer.status === 503) return null;
      expect(answer.status, answer.body).toBe(200);
      return (JSON.parse(answer.body) as { access_token: string }).access_token;
    }, 100);
    return token;
  }

  /** What a locked serve answers: logins 503, /system/hsm not ready, everything else under /system ERR707. */
  async function expectLocked(): Promise<void> {
    const login = await s.login(ADMIN.name, ADMIN.password);
    expect(login.status).toBe(503);
    expect(login.body).toBe(LOCKED_LOGIN);
    // No token can be checked while locked: GET /system/hsm answers without one, with the old one alike.
    expect(valueOf(await get('/hsm', {}))).toEqual({ is_ready: false });
    expect(valueOf(await get('/hsm'))).toEqual({ is_ready: false });
    const rows: Array<[string, string, Body | undefined]> = [
      ['GET', '/', undefined],
      ['GET', '/hsm.secret', undefined],
      ['GET', '/random', undefined],
      ['GET', '/nodes', undefined],
      ['GET', '/documentation', undefined],
      ['POST', '/setConfig', form({ 'while.locked': 'x' })],
      ['DELETE', '/hsm.secret', undefined],
    ];
    for (const [method, path, body] of rows) expectRefusal(await call(method, path, admin(), body), NOT_READY, `${method} ${path}`);
  }

  test('protecting the secrets file while serve runs (campanel secrets protect, passphrase on standard input) leaves this run unlocked', async () => {
    expect(valueOf(await post('/setConfig', form({ 'hsm.secret': stored, 'hsm.secret.type': 'password' })))).toEqual({ 'hsm.secret': 'insert' });
    jwtKey = await jwtKeyOf(s.secretsPath);
    const protectedOut = await run(['secrets', 'protect'], s.dataDir, `${PASSPHRASE}\n`);
    expect(protectedOut).toContain(`${s.secretsPath} is now protected with a passphrase`);
    expect(await readFile(s.secretsPath, 'utf8')).not.toContain(jwtKey);
    expect(await run(['secrets', 'status'], s.dataDir)).toBe(`${s.secretsPath}: protected with a passphrase, unlocked.\n`);
    expect(valueOf(await get('/hsm'))).toEqual({ is_ready: true });
    expectRefusal(await post('/hsm', form({ password: PASSPHRASE })), ALREADY);
    expect(valueOf(await get('/hsm.secret'))).toBe(stored);
  });

  test('after a restart: locked until POST /system/hsm gets the passphrase; a wrong one is ERR707; then the API comes up with the same key', async () => {
    await s.restart();
    expect(await run(['secrets', 'status'], s.dataDir)).toContain(`${s.secretsPath}: protected with a passphrase, locked.`);
    await expectLocked();
    expectRefusal(await post('/hsm', undefined, {}), { status: 400, code: 905, message: 'ERR905: Missing parameter: password' });
    expectRefusal(await post('/hsm', form({ password: 'not the passphrase' }), {}), WRONG_PASSPHRASE);
    expect(valueOf(await get('/hsm', {}))).toEqual({ is_ready: false });

    expect(valueOf(await post('/hsm', form({ password: PASSPHRASE }), {}))).toEqual({ is_ready: true });
    const fresh = await apiComesUp();
    expect(valueOf(await get('/hsm', piAuth(fresh)))).toEqual({ is_ready: true });
    expectRefusal(await post('/hsm', form({ password: PASSPHRASE }), piAuth(fresh)), ALREADY);
    // The key inside the file is the one from before: tokens issued before the restart work again.
    expect(valueOf(await get('/hsm.secret'))).toBe(stored);
    expect(await run(['secrets', 'status'], s.dataDir)).toBe(`${s.secretsPath}: protected with a passphrase, unlocked.\n`);
  });

  test('after another restart: campanel secrets unlock (passphrase on standard input) is the other way in', async () => {
    await s.restart();
    await expectLocked();
    const wrong = await cli(['secrets', 'unlock', '--data-dir', s.dataDir], 'not the passphrase\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^campanel: .+\n$/);
    expect(valueOf(await get('/hsm', {}))).toEqual({ is_ready: false });

    expect(await run(['secrets', 'unlock'], s.dataDir, `${PASSPHRASE}\n`)).toMatch(/^Secrets file unlocked\./);
    await apiComesUp();
    expect(valueOf(await get('/hsm'))).toEqual({ is_ready: true });
    expect(valueOf(await get('/hsm.secret'))).toBe(stored);
  });

  test('a passphrase changed while serve is stopped applies at its next start', async () => {
    expect(await s.stop()).toEqual([]);
    expect(await run(['secrets', 'status'], s.dataDir)).toContain('CamPanel is not running here; it starts locked');
    await run(['secrets', 'unprotect'], s.dataDir, `${PASSPHRASE}\n`);
    expect(await jwtKeyOf(s.secretsPath)).toBe(jwtKey);
    await run(['secrets', 'protect'], s.dataDir, `${SECOND_PASSPHRASE}\n`);
    await s.start();
    await expectLocked();
    expectRefusal(await post('/hsm', json({ password: PASSPHRASE }), {}), WRONG_PASSPHRASE);
    expect(valueOf(await post('/hsm', json({ password: SECOND_PASSPHRASE }), {}))).toEqual({ is_ready: true });
    await apiComesUp();
    expect(valueOf(await get('/hsm.secret'))).toBe(stored);
  });
});

// ---- helpers ----

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** gpg as the test runs it to set the scene; a failure says what gpg said. */
function gpg(home: string, args: string[], input?: string): string {
  const result = spawnSync('gpg', ['--homedir', home, '--batch', '--no-tty', ...args], { input, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw new Error(`gpg could not run (${result.error.message}): run \`npm run setup\`, which installs gpg.`);
  if (result.status !== 0) throw new Error(`gpg ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function makeKey(home: string, uid: string): string {
  mkdirSync(home, { mode: 0o700 });
  gpg(home, ['--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', 'never']);
  const fingerprint = gpg(home, ['--with-colons', '--list-keys']).split('\n').find((line) => line.startsWith('fpr:'))?.split(':')[9];
  if (!fingerprint) throw new Error(`no key was made in ${home}`);
  return fingerprint;
}

const agentsUnder = (dir: string) =>
  listProcesses().filter((p) => p.state !== 'Z' && p.cmdline.some((arg) => arg.includes('gpg-agent')) && p.cmdline.some((arg) => arg.includes(dir)));
