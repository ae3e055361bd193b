/**
 * A real `campanel serve` for the /system tests, configured only through the command line as a headless
 * admin would: alice (admin), bob (role user, his initial password already replaced through the panel, as
 * a new user must before /api/login gives him tokens), the API on a free loopback port, and access tokens
 * for both from POST /api/login. restart() stops serve and starts it again on the same data directory and
 * API port; stop() proves that nothing serve started (its pipeline worker, ffmpeg) outlives it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { http, json, markPanelOrigin, type RawResponse } from './http.js';
import { descendantsOf, waitUntilGone, type ProcessInfo } from './processes.js';
import { cli, freePort, freshDataDir, removeDir, startServe, type ServeHandle } from './serve.js';

export const ADMIN = { name: 'alice', password: 'alice-password-1' } as const;
export const USER = { name: 'bob', initialPassword: 'bob-initial-pw-1', password: 'bob-own-password-2' } as const;

export interface Tokens {
  access_token: string;
  refresh_token?: string;
}

/** A panel session (cookie from a panel link) calling the panel's RPC channels over HTTP, as the page does. */
export interface PanelRpc {
  call(channel: string, body?: unknown): Promise<{ status: number; result: { ok: boolean; value?: unknown; error?: { code: string; message: string } }; text: string }>;
}

export interface SystemServe {
  dataDir: string;
  /** http://127.0.0.1:PORT, the API port */
  base: string;
  /** `${base}/system` */
  system: string;
  secretsPath: string;
  serve: ServeHandle;
  adminToken: string;
  userToken: string;
  /** Everything serve printed, over all its runs. */
  output(): string;
  login(name: string, password: string): Promise<RawResponse>;
  tokens(name: string, password: string): Promise<Tokens>;
  /** A panel session on the running serve (a fresh link from `campanel panel-url`), logged in as `name`. */
  panel(name?: string, password?: string): Promise<PanelRpc>;
  /** Stops serve (checking that its processes are gone) and starts it again; the API keeps its port. */
  restart(): Promise<ServeHandle>;
  /** Starts serve again after stop(). */
  start(): Promise<ServeHandle>;
  /** Stops serve; the processes it started that are still alive afterwards (expected: none). */
  stop(): Promise<ProcessInfo[]>;
  close(): Promise<void>;
}

/** A CLI command that must succeed; its standard output. */
export async function run(args: string[], dataDir: string, input?: string): Promise<string> {
  const result = await cli([...args, '--data-dir', dataDir], input);
  expect(result.stderr, args.join(' ')).toBe('');
  expect(result.code, args.join(' ')).toBe(0);
  return result.stdout;
}

/** The JWT key of a clear (not passphrase-protected) secrets file. */
export async function jwtKeyOf(secretsPath: string): Promise<string> {
  const secrets = JSON.parse(await readFile(secretsPath, 'utf8')) as { jwtSecrets: { jwtSecretKey: string } };
  return secrets.jwtSecrets.jwtSecretKey;
}

export async function startSystemServe(options: { accessMinutes?: number; env?: NodeJS.ProcessEnv } = {}): Promise<SystemServe> {
  const dataDir = await freshDataDir();
  const port = await freePort();
  const secretsPath = join(dataDir, 'secrets', 'campanel.secrets');
  await run(['user', 'add', ADMIN.name, '--admin'], dataDir, `${ADMIN.password}\n`);
  await run(['user', 'add', USER.name], dataDir, `${USER.initialPassword}\n`);
  const configure = ['api', 'configure', '--secrets-file', secretsPath, '--host', '127.0.0.1', '--port', String(port)];
  if (options.accessMinutes !== undefined) configure.push('--access-minutes', String(options.accessMinutes));
  await run(configure, dataDir);

  const base = `http://127.0.0.1:${port}`;
  let serve = await launch(dataDir, base, options.env);
  let running = true;
  let earlierOutput = '';

  const login = (name: string, password: string) => http(`${base}/api/login`, { method: 'POST', ...json({ username: name, password }) });
  const tokens = async (name: string, password: string): Promise<Tokens> => {
    const answer = await login(name, password);
    expect(answer.status, `login of ${name}: ${answer.body}`).toBe(200);
    return JSON.parse(answer.body) as Tokens;
  };
  const panel = async (name: string = ADMIN.name, password: string = ADMIN.password): Promise<PanelRpc> => {
    const link = (await run(['panel-url'], dataDir)).trim();
    const rpc = await openPanel(link);
    await loggedIn(rpc, name, password);
    return rpc;
  };

  const stop = async (): Promise<ProcessInfo[]> => {
    if (!running) return [];
    const started = descendantsOf(serve.pid);
    await serve.stop();
    running = false;
    earlierOutput += serve.output();
    return waitUntilGone(started, 10_000);
  };

  const start = async (): Promise<ServeHandle> => {
    if (running) return serve;
    serve = await launch(dataDir, base, options.env);
    running = true;
    return serve;
  };

  let adminToken: string;
  let userToken: string;
  try {
    // bob replaces his initial password through the panel (serve's own link); only then does /api/login serve him.
    const first = await openPanel(serve.panelUrl);
    const initial = await first.call('login', { name: USER.name, password: USER.initialPassword });
    expect(initial.result, initial.text).toMatchObject({ ok: true, value: { phase: 'changePassword' } });
    const changed = await first.call('changePassword', { currentPassword: USER.initialPassword, newPassword: USER.password });
    expect(changed.result, changed.text).toMatchObject({ ok: true, value: { phase: 'ready' } });
    adminToken = (await tokens(ADMIN.name, ADMIN.password)).access_token;
    userToken = (await tokens(USER.name, USER.password)).access_token;
  } catch (error) {
    // No handle reaches the test's afterAll: stop what was started here.
    await stop();
    await removeDir(dataDir);
    throw error;
  }

  const handle: SystemServe = {
    dataDir,
    base,
    system: `${base}/system`,
    secretsPath,
    get serve() {
      return serve;
    },
    adminToken,
    userToken,
    output: () => earlierOutput + (running ? serve.output() : ''),
    login,
    tokens,
    panel,
    restart: async () => {
      expect(await stop(), 'processes of the stopped serve').toEqual([]);
      return start();
    },
    start,
    stop,
    close: async () => {
      await stop();
      await removeDir(dataDir);
    },
  };
  return handle;
}

async function launch(dataDir: string, base: string, env?: NodeJS.ProcessEnv): Promise<ServeHandle> {
  const serve = await startServe(dataDir, [], env);
  markPanelOrigin(serve.panelUrl);
  // Locked secrets print "API: inactive (…)"; otherwise the API runs on the configured port.
  if (!serve.apiLine.startsWith('inactive')) expect(serve.apiLine).toBe(`${base}/api`);
  return serve;
}

/** Trades a single-use panel link for a session cookie. */
async function openPanel(link: string): Promise<PanelRpc> {
  markPanelOrigin(link);
  const exchange = await http(link);
  expect(exchange.status, 'panel link').toBe(303);
  const setCookie = exchange.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0] ?? '';
  expect(cookie).toMatch(/^campanel_session_\d+=/);
  const origin = new URL(link).origin;
  return {
    call: async (channel, body = {}) => {
      const answer = await http(`${origin}/rpc/${channel}`, {
        method: 'POST',
        headers: { Cookie: cookie, 'X-CamPanel': '1', 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: answer.status, result: JSON.parse(answer.body) as Awaited<ReturnType<PanelRpc['call']>>['result'], text: answer.body };
    },
  };
}

async function loggedIn(rpc: PanelRpc, name: string, password: string): Promise<void> {
  const answer = await rpc.call('login', { name, password });
  expect(answer.result, answer.text).toMatchObject({ ok: true, value: { phase: 'ready' } });
}

/** Headers for a token, the three ways a client may send it. */
export const piAuth = (token: string) => ({ 'PI-Authorization': token });
export const rawAuth = (token: string) => ({ Authorization: token });
export const bearerAuth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The parsed privacyIDEA envelope of an answer. */
export interface Envelope {
  id: number;
  jsonrpc: string;
  result: { status: boolean; value?: unknown; error?: { code: number; message: string } };
  detail?: unknown;
  time: number;
  version: string;
  versionnumber?: string;
}

export const envelope = (answer: RawResponse): Envelope => JSON.parse(answer.body) as Envelope;
