/**
 * The data directory (settings, users, token registry, logs) and the lock that keeps a second
 * CamPanel instance off it. Plain Node: the desktop app and `campanel serve` share this code and the directory.
 */
import { closeSync, type Dirent, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { DomainError } from '../core/errors.js';
import { isAtomicWriteTemp } from '../util/atomic-write.js';
import { identityOf, isSameInstance } from './process-identity.js';

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
  /** Temp files an instance that died mid-write left in the data directory, removed when the lock was taken. */
  removedTempFiles: readonly string[];
  /** Records where the instance can be reached once that is known (e.g. the panel port after listening). */
  update(info: { panelUrl?: string }): void;
  release(): void;
}

const lockContentSchema = z.object({
  pid: z.number().int().positive(),
  mode: z.enum(['desktop', 'serve', 'cli']),
  startedAt: z.string(),
  panelUrl: z.string().optional(),
  // Which instance of `pid` took the lock (see process-identity.ts); absent where /proc is missing.
  bootId: z.string().optional(),
  startTicks: z.number().int().nonnegative().optional(),
});
type LockContent = z.infer<typeof lockContentSchema>;

/** acquireLock's refusal: a running instance holds the data directory. */
export class LockHeldError extends DomainError {
  constructor(
    readonly dataDir: string,
    /** Which instance: "pid 12, headless server at http://127.0.0.1:8765/, since <ISO time>". */
    readonly holder: string,
  ) {
    super('conflict', `CamPanel is already running on ${dataDir} (${holder}). Stop it first.`);
  }
}

/**
 * Takes `<dataDir>/campanel.lock` (O_EXCL), creating the directory (0700) when missing.
 * Throws DomainError('conflict') naming the running instance when its process is alive; a stale lock is replaced.
 * Once taken, the temp files a dead instance left in the directory are removed (see removeLeftoverTempFiles).
 */
export function acquireLock(dataDir: string, info: { mode: InstanceMode; panelUrl?: string }): InstanceLock {
  // mkdir's mode only applies to directories it creates; an existing data directory keeps its mode.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, LOCK_FILE);
  const own: LockContent = { pid: process.pid, mode: info.mode, startedAt: new Date().toISOString(), ...(identityOf(process.pid) ?? {}) };
  let serialised = serialiseLock(own, info.panelUrl);
  const lock = {
    path,
    removedTempFiles: [] as string[],
    update: (update: { panelUrl?: string }) => {
      const next = serialiseLock(own, update.panelUrl);
      if (replaceIfOurs(path, serialised, next)) serialised = next;
    },
    release: () => releaseIfOurs(path, serialised),
  };

  // A few rounds: between removing a stale lock and creating ours, another starter may slip in.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path, serialised)) {
      lock.removedTempFiles = removeLeftoverTempFiles(dataDir);
      return lock;
    }
    const holder = readLock(path);
    if (holder !== null && holderRuns(holder)) throw new LockHeldError(dataDir, `pid ${holder.pid}, ${describeMode(holder)}, since ${holder.startedAt}`);
    // Stale (its process is gone, or its pid now belongs to another process) or unreadable: remove it and try again.
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

/** Whether the instance that wrote the lock still runs: its pid alive, and (where recorded) the same process. */
function holderRuns(holder: LockContent): boolean {
  const { pid, bootId, startTicks } = holder;
  return isSameInstance(pid, bootId !== undefined && startTicks !== undefined ? { bootId, startTicks } : null);
}

/**
 * Temp files only CamPanel makes here, left when an instance was killed mid-write: conf's for settings.json
 * (`<file>.tmp-<10 digits><6 hex>`, atomically's naming), util/atomic-write.ts's, and the lock's own update.
 * Called only while holding the lock, so no other CamPanel writes here; subdirectories (photos, logs) are not touched.
 */
const LEFTOVER_TEMP = [/^[\w.-]+\.tmp-\d{10}[0-9a-f]{6}$/, /^campanel\.lock\.\d+\.tmp$/];

function removeLeftoverTempFiles(dataDir: string): string[] {
  const removed: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(dataDir, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const entry of entries) {
    if (!entry.isFile() || !(isAtomicWriteTemp(entry.name) || LEFTOVER_TEMP.some((pattern) => pattern.test(entry.name)))) continue;
    try {
      unlinkSync(join(dataDir, entry.name));
      removed.push(entry.name);
    } catch {
      // Gone meanwhile, or not ours to remove: a stray temp file is no reason to refuse the start.
    }
  }
  return removed;
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
