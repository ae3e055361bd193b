/**
 * Where a secrets file may live, and what CamPanel may advise about it. A key belongs in the user's own
 * files: system locations (/etc, /proc, /sys, /dev, …) are refused with a plain reason, and CamPanel never
 * tells anyone to chmod a file it has no business changing (e.g. /etc/passwd).
 */
import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, sep } from 'node:path';

/**
 * Directories that hold the operating system, its devices and other programs' state. A file in the
 * user's home directory is always allowed, even when the home directory lies below one of these (a
 * service account's home is often /var/lib/<name>).
 */
export const SYSTEM_DIRECTORIES = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/lost+found',
  '/proc',
  '/run',
  '/sbin',
  '/snap',
  '/sys',
  '/usr',
  '/var/cache',
  '/var/lib',
  '/var/lock',
  '/var/log',
  '/var/run',
  '/var/spool',
] as const;

export const isInside = (path: string, dir: string): boolean => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

/** Why the (absolute, normalised) path is no place for a secrets file, or null when it may be used. */
export function systemLocationProblem(resolvedPath: string, home = homedir()): string | null {
  if (home !== '' && home !== '/' && isInside(resolvedPath, home)) return null;
  if (dirname(resolvedPath) === '/') {
    return `${resolvedPath} is directly in the root directory, a system location; choose a path in your home directory, such as ~/.secrets/campanel.secrets`;
  }
  const system = SYSTEM_DIRECTORIES.find((dir) => isInside(resolvedPath, dir));
  if (system === undefined) return null;
  return `${resolvedPath} is in ${system}, a system location that does not hold CamPanel's key; choose a path in your home directory, such as ~/.secrets/campanel.secrets`;
}

/**
 * The same check on where the path really leads: a parent directory may be a symbolic link into a system
 * location. Only the deepest existing ancestor is resolved; nothing is created.
 */
export async function realLocationProblem(resolvedPath: string, home = homedir()): Promise<string | null> {
  let existing = dirname(resolvedPath);
  for (;;) {
    try {
      const real = await realpath(existing);
      if (real === existing) return null;
      const rest = resolvedPath.slice(existing.length);
      const problem = systemLocationProblem(real + rest, await realHome(home));
      return problem === null ? null : `${resolvedPath} leads to ${real + rest}: ${problem}`;
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return null;
      existing = parent;
    }
  }
}

async function realHome(home: string): Promise<string> {
  try {
    return await realpath(home);
  } catch {
    return home;
  }
}

/**
 * Whether CamPanel may tell the user to chmod the file: only when it is theirs, in their home directory.
 * Anywhere else the advice could be about a file another program depends on.
 */
export function mayAdviseChmod(resolvedPath: string, ownerUid: number, home = homedir()): boolean {
  const uid = process.getuid?.();
  return uid !== undefined && uid === ownerUid && home !== '' && home !== '/' && isInside(resolvedPath, home);
}
