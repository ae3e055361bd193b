/**
 * Black-box tests of /api/login, /api/refresh and /api/protected against a running `campanel serve`
 * configured only through the CLI, as a headless user would.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { cli, freePort, freshDataDir, removeDir, startServe, type ServeHandle } from './support/serve.js';
import { http, json } from './support/http.js';

let dataDir: string;
let serve: ServeHandle;
let api: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  dataDir = await freshDataDir();
  const port = await freePort();
  expect((await cli(['user', 'add', 'alice', '--admin', '--data-dir', dataDir], 'alice-password-1\n')).code).toBe(0);
  expect((await cli(['user', 'add', 'newbie', '--data-dir', dataDir], 'newbie-password-1\n')).code).toBe(0);
  const configured = await cli([
    'api', 'configure', '--secrets-file', join(dataDir, 'secrets', 'campanel.secrets'),
    '--host', '127.0.0.1', '--port', String(port), '--access-minutes', '30', '--refresh-days', '7', '--data-dir', dataDir,
  ]);
  expect(configured.stderr).toBe('');
  expect(configured.code).toBe(0);
  serve = await startServe(dataDir);
  api = `http://127.0.0.1:${port}/api`;
  expect(serve.apiLine).toBe(api);
});

test.afterAll(async () => {
  await serve?.stop();
  await removeDir(dataDir);
});

const login = (username: string, password: string) => http(`${api}/login`, { method: 'POST', ...json({ username, password }) });

test('login returns both tokens; protected answers byte for byte; refresh returns a new access token', async () => {
  const response = await login('alice', 'alice-password-1');
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const tokens = JSON.parse(response.body) as { access_token: string; refresh_token: string };
  expect(Object.keys(tokens)).toEqual(['access_token', 'refresh_token']);

  const header = JSON.parse(Buffer.from(tokens.access_token.split('.')[0] ?? '', 'base64url').toString());
  expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
  const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1] ?? '', 'base64url').toString());
  expect(claims).toMatchObject({ fresh: false, type: 'access', sub: 'alice' });
  expect(claims.exp - claims.iat).toBe(30 * 60);

  const protectedOk = await http(`${api}/protected`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
  expect(protectedOk.status).toBe(200);
  expect(protectedOk.body).toBe('{"message":"Hello, alice! You accessed a protected route."}\n');

  const refreshed = await http(`${api}/refresh`, { method: 'POST', headers: { Authorization: `Bearer ${tokens.refresh_token}` } });
  expect(refreshed.status).toBe(200);
  const fresh = JSON.parse(refreshed.body) as { access_token: string };
  expect(Object.keys(fresh)).toEqual(['access_token']);
  expect((await http(`${api}/protected`, { headers: { Authorization: `Bearer ${fresh.access_token}` } })).status).toBe(200);

  // Tokens cannot stand in for each other.
  const refreshAsAccess = await http(`${api}/protected`, { headers: { Authorization: `Bearer ${tokens.refresh_token}` } });
  expect(refreshAsAccess.status).toBe(422);
  expect(refreshAsAccess.body).toBe('{"msg":"Only non-refresh tokens are allowed"}\n');
  const accessAsRefresh = await http(`${api}/refresh`, { method: 'POST', headers: { Authorization: `Bearer ${tokens.access_token}` } });
  expect(accessAsRefresh.status).toBe(422);
  expect(accessAsRefresh.body).toBe('{"msg":"Only refresh tokens are allowed"}\n');
});

test('login refusals are raspiCamSrv\'s, and say nothing about which part was wrong', async () => {
  const wrongPassword = await login('alice', 'nope');
  const unknownUser = await login('nobody', 'nope');
  expect(wrongPassword.status).toBe(401);
  expect(wrongPassword.body).toBe('{"error":"Invalid username or password"}\n');
  expect(unknownUser.body).toBe(wrongPassword.body);

  const initial = await login('newbie', 'newbie-password-1');
  expect(initial.status).toBe(401);
  expect(initial.body).toBe('{"error":"Password change required. Please log in through UI!"}\n');
});

test('missing and malformed Authorization headers get flask-jwt-extended\'s answers', async () => {
  const none = await http(`${api}/protected`);
  expect(none.status).toBe(401);
  expect(none.body).toBe('{"msg":"Missing Authorization Header"}\n');
  const basic = await http(`${api}/protected`, { headers: { Authorization: 'Basic abc' } });
  expect(basic.status).toBe(401);
  const garbage = await http(`${api}/protected`, { headers: { Authorization: 'Bearer not-a-jwt' } });
  expect(garbage.status).toBe(422);
  expect(garbage.body).toBe('{"msg":"Not enough segments"}\n');
});

test('bad bodies get a JSON 4xx, never a crash or an HTML page', async () => {
  const cases = [
    { body: 'not json', headers: { 'Content-Type': 'application/json' } },
    { body: '[1,2]', headers: { 'Content-Type': 'application/json' } },
    { body: '{"username": 5, "password": "x"}', headers: { 'Content-Type': 'application/json' } },
    { body: JSON.stringify({ username: 'a', password: 'x'.repeat(70 * 1024) }), headers: { 'Content-Type': 'application/json' } },
    { body: 'username=a', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
  ];
  for (const sample of cases) {
    const response = await http(`${api}/login`, { method: 'POST', ...sample });
    expect(response.status, sample.body.slice(0, 40)).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(response.body)).toHaveProperty('error');
  }
  // An unknown URL is outside the OpenAPI document by definition.
  const unknown = await http(`${api}/nothing-here`, { offSpec: true });
  expect(unknown.status).toBe(404);
  expect(unknown.headers['content-type']).toMatch(/^application\/json/);
  // The server is still up.
  expect((await login('alice', 'alice-password-1')).status).toBe(200);
});

test('the CLI acts through the running serve: a generated token works at once and stops at revoke', async () => {
  const status = await cli(['api', 'status', '--data-dir', dataDir]);
  expect(status.code).toBe(0);
  expect(status.stdout).toContain(`Running: yes, ${api}`);
  expect(status.stdout).toContain('Status: green: API is active');

  const generated = await cli(['token', 'generate', '--user', 'alice', '--label', 'cli', '--data-dir', dataDir]);
  expect(generated.stderr).toBe('');
  expect(generated.code).toBe(0);
  expect(generated.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  const token = generated.stdout.trim();
  const jti = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).jti as string;
  expect((await http(`${api}/protected`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);

  const list = await cli(['token', 'list', '--data-dir', dataDir]);
  expect(list.stdout).toContain(jti);
  expect(list.stdout).not.toContain(token);

  expect((await cli(['token', 'revoke', jti, '--data-dir', dataDir])).code).toBe(0);
  const revoked = await http(`${api}/protected`, { headers: { Authorization: `Bearer ${token}` } });
  expect(revoked.status).toBe(401);
  expect(revoked.body).toBe('{"msg":"Token has been revoked"}\n');

  const unknown = await cli(['token', 'revoke', jti, '--data-dir', dataDir]);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toBe(`campanel: No token ${jti}\n`);

  const secrets = await readFile(join(dataDir, 'secrets', 'campanel.secrets'), 'utf8');
  expect(serve.output()).not.toContain(JSON.parse(secrets).jwtSecrets.jwtSecretKey);
});
