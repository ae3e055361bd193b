/**
 * Where a command runs when the data directory's lock or control socket is left by an instance that is
 * gone, or held by one that does not answer yet: real lock files, real Unix sockets, real processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { socketPath, startControlServer } from '../control/control-socket.js';
import { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import { acquireLock } from '../data-dir/data-dir.js';
import { runCommand } from './run-command.js';

let dir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-run-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

const NO_USERS = 'No users yet. Add the first administrator with: campanel user add NAME --admin\n';

/** A real socket file nobody listens on: its server was killed with SIGKILL, so nothing removed it. */
async function staleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(child);
  await new Promise((done) => child.stdout.once('data', done));
  child.kill('SIGKILL');
  await new Promise((done) => child.once('exit', done));
  expect(existsSync(path)).toBe(true);
}

/** A running process that is not CamPanel, under the pid a dead instance's lock names. */
async function unrelatedProcess(): Promise<number> {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((done) => child.once('spawn', done));
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

function startTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

describe('runCommand', () => {
  it('runs on its own when the lock and socket were left by a dead instance whose pid is now another process', async () => {
    const pid = await unrelatedProcess();
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    writeFileSync(join(dir, 'campanel.lock'), JSON.stringify({ pid, mode: 'serve', startedAt: '2020-01-01T00:00:00.000Z', bootId, startTicks: startTicks(pid) - 7 }));
    await staleSocket(socketPath(dir));
    expect(await runCommand({ dataDir: dir }, 'user.list', {})).toBe(NO_USERS);
    expect(existsSync(join(dir, 'campanel.lock'))).toBe(false);
  });

  it('acts through the running instance when it answers', async () => {
    const lock = acquireLock(dir, { mode: 'serve' });
    const core = await CamPanelCore.open({ dataDir: dir, logger: pino({ level: 'silent' }) });
    const control = await startControlServer(core);
    try {
      expect(await runCommand({ dataDir: dir }, 'user.add', { name: 'ada', admin: true, password: 'ada-password-1' })).toBe('Administrator ada created.\n');
      expect(core.users.get('ada')).toMatchObject({ role: 'admin' });
    } finally {
      await control?.close();
      await core.close();
      lock.release();
    }
  });

  it('waits while a running instance does not answer yet, and runs on its own once it has stopped', async () => {
    const lock = acquireLock(dir, { mode: 'serve' });
    await staleSocket(socketPath(dir));
    const release = setTimeout(() => lock.release(), 300);
    try {
      expect(await runCommand({ dataDir: dir }, 'user.list', {}, { waitForInstanceMs: 5000 })).toBe(NO_USERS);
    } finally {
      clearTimeout(release);
      lock.release();
    }
  });

  it('says what is wrong when the running instance never answers on its socket', async () => {
    const lock = acquireLock(dir, { mode: 'serve' });
    await staleSocket(socketPath(dir));
    try {
      const error = await runCommand({ dataDir: dir }, 'user.list', {}, { waitForInstanceMs: 300 }).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).message).toMatch(
        new RegExp(`^CamPanel is running on ${dir} \\(pid ${process.pid}, headless server, since [^)]+\\) but does not answer on ${socketPath(dir)}: it may be starting or stopping\\. Try again in a moment\\.$`),
      );
    } finally {
      lock.release();
    }
  });

  it('does the same when the running instance has no socket file at all', async () => {
    const lock = acquireLock(dir, { mode: 'desktop' });
    try {
      await expect(runCommand({ dataDir: dir }, 'user.list', {}, { waitForInstanceMs: 200 })).rejects.toThrow(/desktop app, since .*\) but does not answer on/);
    } finally {
      lock.release();
    }
  });
});
