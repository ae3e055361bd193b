/**
 * The data directory (settings, users, token registry, logs) and the lock that keeps a second
 * CamPanel instance off it. Plain Node: the desktop app and `campanel serve` share this code and the directory.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { DomainError } from '../core/errors.js';

/** Electron's `app.name` for CamPanel; userData is `<appData>/<name>`. */
const APP_NAME = 'CamPanel';
const LOCK_FILE = 'campanel.lock';

type Env = NodeJS.ProcessEnv;

function homeOf(env: Env): string {
  const home = env['HOME'];
  return home && isAbsolute(home) ? home : homedir();
}

/** Electron's userData on Linux: `$XDG_CONFIG_HOME/CamPanel`, or `~/.config/CamPanel`. */
export function defaultDataDir(env: Env = process.env): string {
  const xdg = env['XDG_CONFIG_HOME'];
  // The XDG spec says a relative value is invalid and must be ignored.
  const configHome = xdg && isAbsolute(xdg) ? xdg : join(homeOf(env), '.config');
  return join(configHome, APP_NAME);
}

/** `--data-dir` beats `CAMPANEL_DATA_DIR` beats the default; `~` expanded, made absolute. Blank values count as unset. */
export function resolveDataDir(flag: string | undefined, env: Env = process.env): string {
  const chosen = [flag, env['CAMPANEL_DATA_DIR']].map((value) => value?.trim()).find((value) => value) ?? defaultDataDir(env);
  let expanded = chosen;
  if (chosen === '~') expanded = homeOf(env);
  else if (chosen.startsWith('~/')) expanded = join(homeOf(env), chosen.slice(2));
  return resolve(expanded);
}

export type InstanceMode = 'desktop' | 'serve' | 'cli';

export interface InstanceLock {
  path: string;
  /** Records where the instance can be reached once that is known (e.g. the panel port after listening). */
  update(info: { panelUrl?: string }): void;
  release(): void;
}

const lockContentSchema = z.object({
  pid: z.number().int().positive(),
  mode: z.enum(['desktop', 'serve', 'cli']),
  startedAt: z.string(),
  panelUrl: z.string().optional(),
});
type LockContent = z.infer<typeof lockContentSchema>;

/**
 * Takes `<dataDir>/campanel.lock` (O_EXCL), creating the directory (0700) when missing.
 * Throws DomainError('conflict') naming the running instance when its process is alive; a stale lock is replaced.
 */
export function acquireLock(dataDir: string, info: { mode: InstanceMode; panelUrl?: string }): InstanceLock {
  // mkdir's mode only applies to directories it creates; an existing data directory keeps its mode.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, LOCK_FILE);
  const startedAt = new Date().toISOString();
  let serialised = serialiseLock({ pid: process.pid, mode: info.mode, startedAt }, info.panelUrl);
  const lock: InstanceLock = {
    path,
    update: (update) => {
      const next = serialiseLock({ pid: process.pid, mode: info.mode, startedAt }, update.panelUrl);
      if (replaceIfOurs(path, serialised, next)) serialised = next;
    },
    release: () => releaseIfOurs(path, serialised),
  };

  // A few rounds: between removing a stale lock and creating ours, another starter may slip in.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path, serialised)) return lock;
    const holder = readLock(path);
    if (holder !== null && isAlive(holder.pid)) {
      throw new DomainError(
        'conflict',
        `CamPanel is already running on ${dataDir} (pid ${holder.pid}, ${describeMode(holder)}, since ${holder.startedAt}). Stop it first.`,
      );
    }
    // Stale (its process is gone) or unreadable: remove it and try again.
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new DomainError('conflict', `Could not take the lock ${path}: another CamPanel keeps starting on ${dataDir}`);
}

function serialiseLock(content: LockContent, panelUrl: string | undefined): string {
  // The panel URL carries the session token in its query; the lock only needs where it runs.
  return JSON.stringify(panelUrl === undefined ? content : { ...content, panelUrl: withoutQuery(panelUrl) });
}

function tryCreate(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The lock's content, or null when it is missing, unreadable or not a lock we understand (treated as stale). */
function readLock(path: string): LockContent | null {
  try {
    const parsed = lockContentSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Signal 0 checks existence only; EPERM means the process exists but belongs to someone else. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the lock only when it still holds exactly what we wrote: a lock taken over by another instance stays. */
function releaseIfOurs(path: string, ourContent: string): void {
  try {
    if (readFileSync(path, 'utf8') !== ourContent) return;
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Rewrites the lock (temp file + rename, so a reader never sees half of it) only while it still holds what we wrote. */
function replaceIfOurs(path: string, ourContent: string, next: string): boolean {
  try {
    if (readFileSync(path, 'utf8') !== ourContent) return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const tempPath = `${path}.${process.pid}.tmp`;
  writeFileSync(tempPath, next, { mode: 0o600 });
  renameSync(tempPath, path);
  return true;
}

function describeMode(lock: LockContent): string {
  switch (lock.mode) {
    case 'desktop':
      return 'desktop app';
    case 'serve':
      return lock.panelUrl ? `headless server at ${withoutQuery(lock.panelUrl)}` : 'headless server';
    case 'cli':
      return 'command line';
  }
}

function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.replace(/[?#].*$/, '');
  }
}
