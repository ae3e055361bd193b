/**
 * One way to act: the panel (through the handler registry, as the browser and the desktop window call
 * it), the command line on its own core, and the command line through the running instance's control
 * socket leave the same audit line and emit the same events. Real core, real files, real socket.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PanelEvent } from '../../shared/contract.js';
import { runOnCore } from '../cli/commands/index.js';
import { sendCommand, startControlServer, type ControlServer } from '../control/control-socket.js';
import { CamPanelCore } from '../core/campanel-core.js';
import { createHandlers } from '../handlers/index.js';
import { HandlerRegistry, type CallContext } from '../registry/handler-registry.js';
import { CLI_ACTOR } from './actor.js';
import { storeApiSettings } from './settings.js';
import { generateToken } from './tokens.js';
import { addUser, changePassword, createFirstAdmin } from './users.js';

type LogLine = Record<string, unknown>;

let dir: string;
let core: CamPanelCore;
let registry: HandlerRegistry;
let control: ControlServer | null = null;
let lines: LogLine[];
let events: PanelEvent['topic'][];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-ops-'));
  lines = [];
  events = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n')) if (text !== '') lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  core = await CamPanelCore.open({ dataDir: join(dir, 'data'), logger: pino({ level: 'info' }, sink) });
  core.events.on('event', (event: PanelEvent) => events.push(event.topic));
  registry = new HandlerRegistry(createHandlers(core), (name) => core.users.get(name));
});

afterEach(async () => {
  await control?.close();
  control = null;
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

const panel = (user: string | null): CallContext => ({ session: { userName: user }, transport: 'http', address: '127.0.0.1' });
const desktop = (user: string | null): CallContext => ({ session: { userName: user }, transport: 'ipc', address: 'local' });

/** The audit lines (those naming an operation) and the events written while `act` ran. */
async function trace(act: () => Promise<unknown>): Promise<{ audit: LogLine[]; events: string[] }> {
  lines.length = 0;
  events.length = 0;
  await act();
  return { audit: lines.filter((line) => 'op' in line), events: [...events] };
}

/** An audit line without what legitimately differs by entry point (who, how) or by run (time, process). */
const what = ({ time: _time, pid: _pid, hostname: _hostname, by: _by, via: _via, ...rest }: LogLine) => rest;

async function withKeyAndAdmin(): Promise<void> {
  await createFirstAdmin(core, { name: 'ada', password: 'ada-password-1' }, CLI_ACTOR);
  const api = { secretsFilePath: join(dir, 'keys', 'campanel.secrets'), accessTokenMinutes: 60, refreshTokenDays: 0, host: '127.0.0.1', port: 5099 };
  await storeApiSettings(core, api, CLI_ACTOR);
}

const newJti = async () => (await generateToken(core, { owner: 'ada', label: 'door' }, CLI_ACTOR)).record.jti;

async function invokeOk(channel: string, payload: unknown, context: CallContext): Promise<unknown> {
  const result = await registry.invoke(channel, payload, context);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value;
}

describe('the same act through every entry point', () => {
  it('revoking a token: one identical audit line and the same event, only the actor differs', async () => {
    await withKeyAndAdmin();
    control = await startControlServer(core);
    const [a, b, c, d] = [await newJti(), await newJti(), await newJti(), await newJti()];

    const fromPanel = await trace(() => invokeOk('revokeToken', { jti: a }, panel('ada')));
    const fromDesktop = await trace(() => invokeOk('revokeToken', { jti: b }, desktop('ada')));
    const fromCli = await trace(() => runOnCore(core, 'token.revoke', { jti: c }));
    const fromSocket = await trace(() => sendCommand(join(dir, 'data'), 'token.revoke', { jti: d }));

    const traces = [
      [fromPanel, a, 'ada', 'panel'],
      [fromDesktop, b, 'ada', 'desktop'],
      [fromCli, c, null, 'cli'],
      [fromSocket, d, null, 'cli'],
    ] as const;
    for (const [trail, jti, by, via] of traces) {
      expect(trail.audit).toHaveLength(1);
      expect(trail.audit[0]).toMatchObject({ level: 30, msg: 'access token revoked', op: 'token.revoke', jti, by, via });
      expect(trail.events).toEqual(['tokens']);
    }
    const withoutJti = ({ jti: _jti, ...rest }: LogLine) => rest;
    expect(new Set(traces.map(([trail]) => JSON.stringify(withoutJti(what(trail.audit[0] ?? {})))))).toHaveProperty('size', 1);
    expect(core.tokens.list()).toEqual([]);
  });

  it('a refused revoke reads the same everywhere and leaves no trace', async () => {
    await withKeyAndAdmin();
    const fromPanel = await trace(async () => {
      const result = await registry.invoke('revokeToken', { jti: 'nope' }, panel('ada'));
      expect(result).toEqual({ ok: false, error: { code: 'not_found', message: 'No token nope' } });
    });
    const fromCli = await trace(() => expect(runOnCore(core, 'token.revoke', { jti: 'nope' })).rejects.toThrow(/^No token nope$/));
    expect(fromPanel).toEqual({ audit: [], events: [] });
    expect(fromCli).toEqual({ audit: [], events: [] });
  });

  it('adding a user: the command line writes the audit line the panel writes, never the password', async () => {
    const first = await trace(() => runOnCore(core, 'user.add', { name: 'ada', admin: true, password: 'ada-password-1' }));
    expect(first.audit).toEqual([expect.objectContaining({ op: 'user.createFirstAdmin', msg: 'first administrator created', user: 'ada', by: null, via: 'cli' })]);
    await changePassword(core, { name: 'ada', currentPassword: 'ada-password-1', newPassword: 'ada-password-2' }, CLI_ACTOR);

    const fromCli = await trace(() => runOnCore(core, 'user.add', { name: 'bob', admin: false, password: 'bob-password-1' }));
    const fromPanel = await trace(() => invokeOk('addUser', { name: 'cy', role: 'user', password: 'cy-password-12' }, panel('ada')));

    expect(fromCli.audit).toEqual([expect.objectContaining({ op: 'user.add', msg: 'user added', user: 'bob', role: 'user', by: null, via: 'cli' })]);
    expect(fromPanel.audit).toEqual([expect.objectContaining({ op: 'user.add', msg: 'user added', user: 'cy', role: 'user', by: 'ada', via: 'panel' })]);
    expect({ ...what(fromCli.audit[0] ?? {}), user: 'x' }).toEqual({ ...what(fromPanel.audit[0] ?? {}), user: 'x' });
    expect(fromCli.events).toEqual(fromPanel.events);
    expect(fromCli.events).toContain('users');
    expect(JSON.stringify(lines)).not.toMatch(/password-1/);
    // Nothing else at info level: the command line has no extra line of its own.
    expect(lines.filter((line) => !('op' in line))).toEqual([]);
  });

  it('generating a token: same checks, audit line and event from the panel and the command line', async () => {
    await withKeyAndAdmin();
    await addUser(core, { name: 'bob', role: 'user', password: 'bob-password-1' }, CLI_ACTOR);

    const fromPanel = await trace(() => invokeOk('generateToken', { label: 'door' }, panel('ada')));
    const fromCli = await trace(() => runOnCore(core, 'token.generate', { user: 'ada', label: 'door' }));
    for (const [trail, via] of [[fromPanel, 'panel'], [fromCli, 'cli']] as const) {
      expect(trail.audit).toEqual([expect.objectContaining({ op: 'token.generate', owner: 'ada', label: 'door', via })]);
      expect(trail.events).toEqual(['tokens']);
    }
    const withoutJti = ({ jti: _jti, ...rest }: LogLine) => rest;
    expect(withoutJti(what(fromCli.audit[0] ?? {}))).toEqual(withoutJti(what(fromPanel.audit[0] ?? {})));

    await expect(runOnCore(core, 'token.generate', { user: 'bob', label: '' })).rejects.toThrow('bob must set their own password first');
    await expect(runOnCore(core, 'token.generate', { user: 'nobody', label: '' })).rejects.toThrow('No user nobody');
  });

  it('api configure is the panel\'s API Submit plus General\'s "Allow access through API", with their lines and events', async () => {
    await createFirstAdmin(core, { name: 'ada', password: 'ada-password-1' }, CLI_ACTOR);
    const secretsFilePath = join(dir, 'keys', 'campanel.secrets');
    const fromCli = await trace(() => runOnCore(core, 'api.configure', { secretsFile: secretsFilePath, port: 5099 }));
    const stored = core.settings.get();
    core.settings.setGeneral({ allowApi: false });
    const fromPanel = await trace(async () => {
      await invokeOk('setApiSettings', stored.api, panel('ada'));
      await invokeOk('setGeneralSettings', { allowApi: true }, panel('ada'));
    });
    expect(fromCli.audit.map(what)).toEqual(fromPanel.audit.map(what));
    expect(fromCli.audit.map((line) => line['op'])).toEqual(['settings.api', 'settings.general']);
    expect(fromCli.events).toEqual(fromPanel.events);
    expect(fromCli.events).toEqual(expect.arrayContaining(['api', 'settings']));
  });
});

describe('operations', () => {
  it('removing a user revokes their generated tokens and tells the token list', async () => {
    await withKeyAndAdmin();
    await addUser(core, { name: 'bob', role: 'admin', password: 'bob-password-1' }, CLI_ACTOR);
    await changePassword(core, { name: 'bob', currentPassword: 'bob-password-1', newPassword: 'bob-password-2' }, CLI_ACTOR);
    const { record } = await generateToken(core, { owner: 'bob', label: '' }, CLI_ACTOR);

    const refusedSelf = await registry.invoke('removeUser', { name: 'ada' }, panel('ada'));
    expect(refusedSelf).toMatchObject({ ok: false, error: { message: 'You cannot remove yourself' } });
    const removal = await trace(() => invokeOk('removeUser', { name: 'bob' }, panel('ada')));
    expect(removal.audit).toEqual([expect.objectContaining({ op: 'user.remove', user: 'bob', by: 'ada' })]);
    expect(removal.events).toEqual(expect.arrayContaining(['users', 'tokens']));
    expect(core.tokens.list()).toEqual([]);
    expect(core.tokens.isRevoked(record.jti)).toBe(true);
  });

  it('refuses API settings the contract would refuse before creating any secrets file', async () => {
    const api = { secretsFilePath: join(dir, 'keys', 'campanel.secrets'), accessTokenMinutes: 60, refreshTokenDays: 0, host: 'not a host', port: 5000 };
    await expect(storeApiSettings(core, api, CLI_ACTOR)).rejects.toMatchObject({
      code: 'invalid',
      message: 'Enter an IP address or host name',
      fields: { host: 'Enter an IP address or host name' },
    });
    expect(existsSync(join(dir, 'keys'))).toBe(false);
    expect(lines).toEqual([]);
  });
});
