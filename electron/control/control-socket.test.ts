import { writeFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CamPanelCore } from '../core/campanel-core.js';
import { NotListeningError, sendCommand, socketPath, startControlServer, type ControlServer } from './control-socket.js';

let dir: string;
let core: CamPanelCore;
let control: ControlServer | null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-ctl-'));
  core = await CamPanelCore.open({ dataDir: dir, logger: pino({ level: 'silent' }) });
  await writeFile(socketPath(dir), 'left by a dead instance');
  control = await startControlServer(core);
});

afterEach(async () => {
  await control?.close();
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

const raw = (line: string) =>
  new Promise<string>((resolve, reject) => {
    const socket = createConnection(socketPath(dir));
    let received = '';
    socket.on('connect', () => socket.write(line));
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('end', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });

describe('control socket', () => {
  it('replaces a stale socket file and is reachable only by its owner (0600)', async () => {
    expect(control).not.toBeNull();
    const info = await stat(socketPath(dir));
    expect(info.isSocket()).toBe(true);
    expect(info.mode & 0o777).toBe(0o600);
  });

  it('runs commands on the running core', async () => {
    expect(await sendCommand(dir, 'user.add', { name: 'ada', admin: true, password: 'ada-password-1' })).toBe('Administrator ada created.\n');
    expect(core.users.get('ada')).toMatchObject({ role: 'admin', initial: false });
    expect(await sendCommand(dir, 'user.list', {})).toMatch(/ada\s+admin\s+no/);
  });

  it('answers refusals with their message, and bad requests without running anything', async () => {
    await expect(sendCommand(dir, 'user.add', { name: 'bob', admin: false, password: 'bob-password-1' })).rejects.toThrow(
      'The first user must be an administrator: add --admin',
    );
    await expect(sendCommand(dir, 'user.add', { name: 'bob', admin: true, password: 'short' })).rejects.toThrow(/at least 8/);
    await expect(sendCommand(dir, 'token.revoke', { jti: 'x', extra: 1 })).rejects.toThrow(/Unrecognized key|extra/);
    expect(JSON.parse(await raw('{"command":"rm -rf","args":{}}\n'))).toEqual({ ok: false, message: 'Unknown command rm -rf' });
    expect(JSON.parse(await raw('not json\n')).ok).toBe(false);
    expect(JSON.parse(await raw('{"command":"__proto__","args":{}}\n')).ok).toBe(false);
    expect(core.users.hasUsers()).toBe(false);
  });

  it('drops a request larger than 64 KiB', async () => {
    expect(await raw('x'.repeat(70 * 1024))).toBe('');
  });

  it('removes the socket file when closed', async () => {
    await control?.close();
    control = null;
    await expect(stat(socketPath(dir))).rejects.toThrow();
  });
});

describe('sendCommand to an instance that is not there', () => {
  it('a socket file nobody listens on rejects with NotListeningError: nothing was sent', async () => {
    const other = await mkdtemp(join(tmpdir(), 'cp-ctl-stale-'));
    try {
      await writeFile(socketPath(other), 'left by a dead instance');
      await expect(sendCommand(other, 'user.list', {})).rejects.toBeInstanceOf(NotListeningError);
      await rm(socketPath(other));
      await expect(sendCommand(other, 'user.list', {})).rejects.toBeInstanceOf(NotListeningError);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('a connection dropped after the request was sent is another error: the command may have run', async () => {
    const other = await mkdtemp(join(tmpdir(), 'cp-ctl-drop-'));
    const server = createServer((socket) => socket.once('data', () => socket.destroy()));
    await new Promise<void>((resolve) => server.listen(socketPath(other), resolve));
    try {
      const error: unknown = await sendCommand(other, 'user.list', {}).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(NotListeningError);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await rm(other, { recursive: true, force: true });
    }
  });
});
