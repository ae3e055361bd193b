/**
 * No secret leaves where it belongs. With a password-typed /system config value, a mail password saved
 * through the panel (Settings → Notifications' RPC) and the JWT key in the secrets file, all of them used
 * (test mails really sent with the stored password), none of the three appears in documentation.rst, the
 * configuration export, the panel's answers, any /system answer to a role-user token (every GET endpoint
 * walked with bob's token), the log files, serve's output, or any file of the data directory other
 * than the secrets file. A fourth, the email.password given to /system/test/email, is held to the same rule.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { closedPort, startSmtp, type TestSmtp } from '../electron/notifications/test-mail-kit.js';
import { form, http, type RawResponse } from './support/http.js';
import { envelope, jwtKeyOf, piAuth, startSystemServe, type SystemServe } from './support/system-serve.js';

let s: SystemServe | undefined;
let smtp: TestSmtp | undefined;

test.afterAll(async () => {
  await smtp?.close();
  if (!s) return;
  const left = await s.stop();
  await s.close();
  expect(left.map((p) => p.cmdline.join(' ')), 'processes serve left behind').toEqual([]);
});

const secret = (label: string) => `${label}-${randomBytes(16).toString('hex')}`;

test('no secret reaches documentation.rst, the export, panel answers, a user\'s /system answers, the logs, serve\'s output or the data files', async () => {
  test.setTimeout(120_000);
  s = await startSystemServe();
  smtp = await startSmtp({ allowInsecureAuth: true });
  const serve = s;
  const configPassword = secret('config-pw');
  const mailPassword = secret('mail-pw');
  const paramPassword = secret('param-pw');
  const jwtKey = await jwtKeyOf(serve.secretsPath);
  expect(jwtKey.length).toBeGreaterThanOrEqual(43);
  const admin = piAuth(serve.adminToken);
  const user = piAuth(serve.userToken);
  const system = (method: string, path: string, headers: Record<string, string>, body?: { headers: Record<string, string>; body: string }) =>
    http(`${serve.system}${path}`, { method, headers: { ...headers, ...body?.headers }, body: body?.body });
  const ok = (answer: RawResponse): unknown => {
    expect(answer.status, answer.body).toBe(200);
    return envelope(answer).result.value;
  };

  // The config password: stored, updated without its type (it stays encrypted), and once in a refused request.
  expect(ok(await system('POST', '/setConfig', admin, form({ 'relay.password': configPassword, 'relay.password.type': 'password' })))).toEqual({ 'relay.password': 'insert' });
  expect(ok(await system('POST', '/setConfig', admin, form({ 'relay.password': configPassword })))).toEqual({ 'relay.password': 'update' });
  expect((await system('POST', '/setConfig', admin, form({ 'other.password': configPassword, 'other.password.type': 'password', random: 'refused' }))).status).toBe(400);
  expect(ok(await system('GET', '/relay.password', admin))).toBe(configPassword);

  // The mail password, through the panel as Settings → Notifications saves it; then used by every test-mail path.
  const panel = await serve.panel();
  const panelAnswers: string[] = [];
  const rpc = async (channel: string, body: unknown = {}) => {
    const answer = await panel.call(channel, body);
    panelAnswers.push(answer.text);
    expect(answer.result.ok, `${channel}: ${answer.text}`).toBe(true);
    return answer.result.value as Record<string, unknown>;
  };
  const settings = { host: '127.0.0.1', port: smtp.port, tls: 'none', user: 'mailer', sender: 'camera@example.org', recipient: 'owner@example.org' };
  expect(await rpc('saveNotificationSettings', { settings, password: mailPassword })).toMatchObject({ passwordSet: true });
  expect(await rpc('sendTestMail')).toMatchObject({ ok: true });
  const stored = await system('POST', '/test/email', admin);
  expect(ok(stored), stored.body).toBe(true);
  const params = { 'email.mailserver': '127.0.0.1', 'email.mailfrom': 'camera@example.org', 'email.recipient': 'owner@example.org', 'email.username': 'mailer', 'email.password': paramPassword };
  expect(ok(await system('POST', '/test/email', admin, form({ ...params, 'email.port': String(smtp.port) })))).toBe(true);
  const failed = await system('POST', '/test/email', admin, form({ ...params, 'email.port': String(await closedPort()) }));
  expect(ok(failed)).toBe(false);
  // The passwords really went to the mail server: the searches below look for values that were in use.
  expect(smtp.logins).toEqual([
    { user: 'mailer', password: mailPassword },
    { user: 'mailer', password: mailPassword },
    { user: 'mailer', password: paramPassword },
  ]);
  await rpc('notificationSettings');
  await rpc('systemOverview');
  const exported = (await rpc('exportConfig')).json as string;
  expect(JSON.parse(exported).settings.notifications).toMatchObject({ host: '127.0.0.1', user: 'mailer' });

  const documentation = await system('GET', '/documentation', admin);
  expect(documentation.status).toBe(200);
  expect(documentation.body).toContain('relay.password');
  expect(documentation.body).toContain('__CENSORED__');

  // Every /system GET endpoint as bob, every config key included (whatever he may or may not read), and the POSTs he is refused.
  const keys = Object.keys(ok(await system('GET', '/', admin)) as Record<string, unknown>);
  expect(keys).toContain('relay.password');
  const userAnswers: RawResponse[] = [];
  const gets = ['/', ...keys.map((key) => `/${encodeURIComponent(key)}`), '/documentation', '/random', '/nodes', '/hsm', '/gpgkeys', '/names/radius', '/names/caconnector'];
  for (const path of gets) userAnswers.push(await system('GET', path, user));
  for (const path of ['/setConfig', '/setDefault', '/hsm', '/test/email']) userAnswers.push(await system('POST', path, user, form({ password: 'x' })));
  expect(userAnswers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(4);

  expect(await serve.stop()).toEqual([]); // flushes the logs
  const logDir = join(serve.dataDir, 'logs');
  const logs = await Promise.all((await readdir(logDir)).map((file) => readFile(join(logDir, file), 'utf8')));
  expect(logs.join('')).toContain('notifications.test');
  const dataFiles = await filesUnder(serve.dataDir);
  const secretsFile = await readFile(serve.secretsPath, 'utf8');
  // Where the secrets do belong: the key and the mail password are in the secrets file (raspiCamSrv's layout).
  expect(secretsFile).toContain(jwtKey);
  expect(secretsFile).toContain(mailPassword);
  const stores = await Promise.all(dataFiles.filter((file) => file !== serve.secretsPath).map(async (file) => `${relative(serve.dataDir, file)}\n${await readFile(file, 'latin1')}`));
  expect(stores.some((text) => text.startsWith('system-config.json'))).toBe(true);
  expect(stores.some((text) => text.startsWith('settings.json'))).toBe(true);

  const haystacks: Record<string, string> = {
    'documentation.rst': documentation.body,
    'the configuration export': exported,
    "the panel's answers": panelAnswers.join('\n'),
    "/system's answers to bob": userAnswers.map((answer) => answer.body).join('\n'),
    "/system's answers to the test mails": [stored.body, failed.body].join('\n'),
    'the log files': logs.join('\n'),
    "serve's output": serve.output(),
    'the data directory (secrets file aside)': stores.join('\n'),
  };
  const needles = { 'the config password': configPassword, 'the mail password': mailPassword, 'the email.password parameter': paramPassword, 'the JWT key': jwtKey };
  for (const [where, text] of Object.entries(haystacks)) {
    expect(text.length, where).toBeGreaterThan(0);
    for (const [what, value] of Object.entries(needles)) expect(text.includes(value), `${what} leaked into ${where}`).toBe(false);
  }
});

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}
