/**
 * What tells one process instance from another that later got the same pid. A pid alone is reused, soon
 * after a reboot above all (on a Pi, every power cut); the process's start time since boot together with
 * the boot id is not. Linux's /proc gives both; where /proc is missing these return null and callers fall
 * back to the pid alone.
 */
import { readFileSync } from 'node:fs';

export interface ProcessIdentity {
  /** /proc/sys/kernel/random/boot_id: a new random UUID at every boot. */
  bootId: string;
  /** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
  startTicks: number;
}

interface ProcessStat {
  ppid: number;
  startTicks: number;
}

/** Signal 0 checks existence only; EPERM means the process exists but belongs to someone else. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function currentBootId(): string | null {
  try {
    const id = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return /^[0-9a-f-]{8,64}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** ppid and start time of `pid`, or null when there is no /proc, no such process, or it is hidden from us. */
export function processStat(pid: number): ProcessStat | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid …": comm may hold spaces and ')' itself, so split after the last ')'.
  // fields[0] is field 3 (state), so field N is fields[N - 3].
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  const startTicks = Number(fields[19]);
  if (!Number.isSafeInteger(ppid) || !Number.isSafeInteger(startTicks)) return null;
  return { ppid, startTicks };
}

export function identityOf(pid: number): ProcessIdentity | null {
  const bootId = currentBootId();
  const stat = processStat(pid);
  return bootId === null || stat === null ? null : { bootId, startTicks: stat.startTicks };
}

/** The process's argv as /proc shows it (a process that set its title shows the title), or null. */
export function commandLine(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

/**
 * Whether `pid` is still the instance `identity` describes. Without an identity to compare (recorded
 * where /proc was missing, or by an older CamPanel) a live pid is all there is to go on.
 */
export function isSameInstance(pid: number, identity: ProcessIdentity | null): boolean {
  if (!isAlive(pid)) return false;
  if (identity === null) return true;
  const bootId = currentBootId();
  // Recorded in an earlier boot: whatever runs under that pid now started after it.
  if (bootId !== null && bootId !== identity.bootId) return false;
  const stat = processStat(pid);
  // Alive but unreadable (another user's process under hidepid): cannot tell, so assume it is the same.
  if (stat === null) return true;
  return stat.startTicks === identity.startTicks;
}
