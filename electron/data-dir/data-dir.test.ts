import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.js';
import { acquireLock, defaultDataDir, resolveDataDir, type InstanceLock } from './data-dir.js';

let dir: string;
const held: InstanceLock[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-datadir-'));
});
afterEach(async () => {
  for (const lock of held.splice(0)) lock.release();
  await rm(dir, { recursive: true, force: true });
});

function take(dataDir: string, info: Parameters<typeof acquireLock>[1]): InstanceLock {
  const lock = acquireLock(dataDir, info);
  held.push(lock);
  return lock;
}

function conflictOf(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a conflict');
}

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((done) => child.on('exit', done));
  if (child.pid === undefined) throw new Error('child did not start');
  return child.pid;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A running process that is not CamPanel: what a reused pid points at. */
async function unrelatedProcess(): Promise<{ pid: number }> {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((done) => child.once('spawn', done));
  if (child.pid === undefined) throw new Error('child did not start');
  return { pid: child.pid };
}

const procBootId = (): string => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
/** Field 22 of /proc/<pid>/stat, read here independently of the code under test. */
function procStartTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

describe('defaultDataDir / resolveDataDir', () => {
  const env = { HOME: '/home/pi' };

  it('is Electron userData for CamPanel on Linux', () => {
    expect(defaultDataDir(env)).toBe('/home/pi/.config/CamPanel');
    expect(defaultDataDir({ ...env, XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/CamPanel');
    expect(defaultDataDir({ ...env, XDG_CONFIG_HOME: 'relative' })).toBe('/home/pi/.config/CamPanel');
  });

  it('takes the flag first, then CAMPANEL_DATA_DIR, then the default', () => {
    expect(resolveDataDir('/flag', { ...env, CAMPANEL_DATA_DIR: '/envdir' })).toBe('/flag');
    expect(resolveDataDir(undefined, { ...env, CAMPANEL_DATA_DIR: '/envdir' })).toBe('/envdir');
    expect(resolveDataDir(undefined, { ...env, CAMPANEL_DATA_DIR: '  ' })).toBe('/home/pi/.config/CamPanel');
    expect(resolveDataDir('', env)).toBe('/home/pi/.config/CamPanel');
  });

  it('expands ~ and makes relative paths absolute', () => {
    expect(resolveDataDir('~', env)).toBe('/home/pi');
    expect(resolveDataDir('~/cam/data', env)).toBe('/home/pi/cam/data');
    expect(resolveDataDir(undefined, { ...env, CAMPANEL_DATA_DIR: '~/d' })).toBe('/home/pi/d');
    expect(resolveDataDir('rel/dir', env)).toBe(join(process.cwd(), 'rel/dir'));
  });
});

describe('acquireLock', () => {
  it('creates a missing data directory 0700 and a lock file naming this process', () => {
    const dataDir = join(dir, 'data');
    const lock = take(dataDir, { mode: 'serve', panelUrl: 'http://127.0.0.1:8123/?token=s3cr3t' });
    expect(lock.path).toBe(join(dataDir, 'campanel.lock'));
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const content = JSON.parse(readFileSync(lock.path, 'utf8')) as Record<string, unknown>;
    expect(content).toMatchObject({ pid: process.pid, mode: 'serve', panelUrl: 'http://127.0.0.1:8123/' });
    expect(new Date(String(content['startedAt'])).toISOString()).toBe(content['startedAt']);
    expect(readFileSync(lock.path, 'utf8')).not.toContain('s3cr3t');
  });

  it.each([
    [{ mode: 'desktop' as const }, 'desktop app'],
    [{ mode: 'serve' as const, panelUrl: 'http://127.0.0.1:8123/?token=s3cr3t' }, 'headless server at http://127.0.0.1:8123/'],
    [{ mode: 'cli' as const }, 'command line'],
  ])('a second acquire is refused, naming the running instance (%o)', (info, description) => {
    take(dir, info);
    const error = conflictOf(() => take(dir, { mode: 'cli' }));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(
      new RegExp(`^CamPanel is already running on ${dir} \\(pid ${process.pid}, ${description}, since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)\\. Stop it first\\.$`),
    );
    expect(error.message).not.toContain('s3cr3t');
  });

  it('takes over a stale lock left by a process that has exited', async () => {
    const pid = await deadPid();
    const lockPath = join(dir, 'campanel.lock');
    writeFileSync(lockPath, JSON.stringify({ pid, mode: 'desktop', startedAt: '2020-01-01T00:00:00.000Z' }));
    const lock = take(dir, { mode: 'serve' });
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid, mode: 'serve' });
    expect(lock.path).toBe(lockPath);
  });

  it.each(['', 'not json', '{"pid": "12"}', '[1]'])('replaces an unreadable lock (%j)', (content) => {
    writeFileSync(join(dir, 'campanel.lock'), content);
    expect(() => take(dir, { mode: 'cli' })).not.toThrow();
  });

  it('release allows a new acquire; releasing twice is harmless', () => {
    const first = acquireLock(dir, { mode: 'desktop' });
    first.release();
    expect(existsSync(first.path)).toBe(false);
    first.release();
    expect(() => take(dir, { mode: 'serve' })).not.toThrow();
  });

  it('update records the panel URL (without its token) for the message a second instance gets', () => {
    const lock = take(dir, { mode: 'serve' });
    expect(conflictOf(() => acquireLock(dir, { mode: 'cli' })).message).toContain('(pid');
    lock.update({ panelUrl: 'http://127.0.0.1:9000/?token=s3cr3t' });
    expect(readFileSync(lock.path, 'utf8')).not.toContain('s3cr3t');
    expect(conflictOf(() => acquireLock(dir, { mode: 'cli' })).message).toContain('headless server at http://127.0.0.1:9000/,');
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('records the instance (boot id and start time), not only the pid', () => {
    const lock = take(dir, { mode: 'serve' });
    const content = JSON.parse(readFileSync(lock.path, 'utf8')) as Record<string, unknown>;
    expect(content).toMatchObject({ pid: process.pid, bootId: procBootId(), startTicks: procStartTicks(process.pid) });
  });

  it('takes over a lock whose pid now belongs to another process (pid reused after a power cut)', async () => {
    const other = await unrelatedProcess();
    const lockPath = join(dir, 'campanel.lock');
    const ticks = procStartTicks(other.pid);
    writeFileSync(lockPath, JSON.stringify({ pid: other.pid, mode: 'serve', startedAt: '2020-01-01T00:00:00.000Z', bootId: procBootId(), startTicks: ticks - 1 }));
    take(dir, { mode: 'serve' });
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid, mode: 'serve' });
  });

  it('takes over a lock written in an earlier boot, whatever now runs under its pid', async () => {
    const other = await unrelatedProcess();
    const lockPath = join(dir, 'campanel.lock');
    const earlierBoot = '00000000-0000-4000-8000-000000000000';
    writeFileSync(lockPath, JSON.stringify({ pid: other.pid, mode: 'desktop', startedAt: '2020-01-01T00:00:00.000Z', bootId: earlierBoot, startTicks: procStartTicks(other.pid) }));
    take(dir, { mode: 'cli' });
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid, mode: 'cli' });
  });

  it('honours a lock whose pid, boot and start time all match a running process', async () => {
    const other = await unrelatedProcess();
    writeFileSync(
      join(dir, 'campanel.lock'),
      JSON.stringify({ pid: other.pid, mode: 'serve', startedAt: '2020-01-01T00:00:00.000Z', bootId: procBootId(), startTicks: procStartTicks(other.pid) }),
    );
    expect(conflictOf(() => take(dir, { mode: 'cli' })).message).toContain(`(pid ${other.pid}, headless server`);
  });

  it('without a recorded identity (no /proc where it was written), a live pid still holds the lock', async () => {
    const other = await unrelatedProcess();
    writeFileSync(join(dir, 'campanel.lock'), JSON.stringify({ pid: other.pid, mode: 'serve', startedAt: '2020-01-01T00:00:00.000Z' }));
    expect(conflictOf(() => take(dir, { mode: 'cli' })).code).toBe('conflict');
  });

  it("removes the temp files a killed CamPanel left in the data directory, and nothing else", () => {
    const ours = [
      'settings.json.tmp-1795668795a1b2c3', // conf (settings.json)
      '.users.json.0123456789abcdef.tmp', // util/atomic-write.ts, older naming
      '.tokens.json.0000a1b20123456789abcdef.tmp', // util/atomic-write.ts, with the writer's pid
      'campanel.lock.4242.tmp', // the lock's own update
    ];
    const others = ['settings.json', 'notes.tmp', 'settings.json.tmp-mine', '.users.json.tmp', 'users.json.0123456789abcdef.tmp'];
    for (const name of [...ours, ...others]) writeFileSync(join(dir, name), 'x');
    mkdirSync(join(dir, 'photos'));
    writeFileSync(join(dir, 'photos', 'settings.json.tmp-1795668795a1b2c3'), 'x');
    const lock = take(dir, { mode: 'serve' });
    expect(readdirSync(dir).sort()).toEqual(['campanel.lock', ...others, 'photos'].sort());
    expect(readdirSync(join(dir, 'photos'))).toEqual(['settings.json.tmp-1795668795a1b2c3']);
    expect([...lock.removedTempFiles].sort()).toEqual([...ours].sort());
  });

  it('a refused acquire removes no temp file (the running instance may be writing it)', () => {
    take(dir, { mode: 'serve' });
    writeFileSync(join(dir, 'settings.json.tmp-1795668795a1b2c3'), 'x');
    conflictOf(() => acquireLock(dir, { mode: 'cli' }));
    expect(existsSync(join(dir, 'settings.json.tmp-1795668795a1b2c3'))).toBe(true);
  });

  it('release leaves a lock that is no longer ours', () => {
    const first = acquireLock(dir, { mode: 'desktop' });
    const otherLock = JSON.stringify({ pid: process.pid, mode: 'serve', startedAt: '2030-01-01T00:00:00.000Z' });
    writeFileSync(first.path, otherLock);
    first.release();
    expect(readFileSync(first.path, 'utf8')).toBe(otherLock);
  });
});
