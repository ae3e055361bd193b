/**
 * The process table as Linux's /proc shows it, for black-box tests that must prove no process outlives
 * what started it: `campanel serve`, its pipeline worker (detached, its own process group) and the ffmpeg
 * processes the worker runs. Reading the table is electron/test-support/process-table.ts's; what is added
 * here judges liveness by process group too (a reused pid is another program in another group) and finds
 * serve's worker and ffmpeg processes.
 */
import { descendantsOf, listProcesses, readProcess, type ProcessInfo } from '../../electron/test-support/process-table.js';

export { descendantsOf, listProcesses, readProcess, type ProcessInfo } from '../../electron/test-support/process-table.js';

/** A zombie has exited (only its parent has not collected it yet): not alive. */
const living = (info: ProcessInfo | null): info is ProcessInfo => info !== null && info.state !== 'Z' && info.state !== 'X';

/** Every living process of a process group, orphans included (they keep their group when re-parented). */
export function groupMembers(pgid: number): ProcessInfo[] {
  return listProcesses().filter((p) => p.pgid === pgid && living(p));
}

/**
 * Alive, and still the same process: same process group as when it was seen (a reused pid would be
 * some other program in another group).
 */
export function stillAlive(seen: Pick<ProcessInfo, 'pid' | 'pgid'>): boolean {
  const now = readProcess(seen.pid);
  return living(now) && now.pgid === seen.pgid;
}

/** Polls until none of `processes` is alive; resolves with the ones still alive at the deadline ([] = all gone). */
export async function waitUntilGone<T extends Pick<ProcessInfo, 'pid' | 'pgid'>>(processes: readonly T[], timeoutMs: number): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = processes.filter(stillAlive);
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await sleep(20);
  }
}

/** True when the process runs `program` (its path or its bare name is its first argument). */
export const runs = (entry: ProcessInfo, program: string): boolean => {
  const first = entry.cmdline[0] ?? '';
  return first === program || first.endsWith(`/${program}`);
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something other than undefined/null/false; throws `what` after timeoutMs. */
export async function poll<T>(what: string, timeoutMs: number, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** The `campanel serve` this test process started on `dataDir` (see e2e/support/serve.ts startServe). */
export function servePidFor(dataDir: string): number | null {
  const match = listProcesses().find(
    (p) => p.ppid === process.pid && living(p) && p.cmdline.includes('serve') && p.cmdline.includes(dataDir) && p.cmdline.some((arg) => arg.endsWith('campanel.js')),
  );
  return match?.pid ?? null;
}

/** The pipeline worker(s) `campanel serve` runs: its children running worker-main.js. */
export function workersOf(servePid: number, all: ProcessInfo[] = listProcesses()): ProcessInfo[] {
  return all.filter((p) => p.ppid === servePid && living(p) && p.cmdline.some((arg) => arg.endsWith('worker-main.js')));
}

/** Every living ffmpeg below `pid` (camera sources, encoders, converters). */
export function ffmpegsBelow(pid: number, all: ProcessInfo[] = listProcesses()): ProcessInfo[] {
  return descendantsOf(pid, all).filter((p) => living(p) && runs(p, 'ffmpeg'));
}

/** The ffmpeg that is camera source `pattern` (lavfi input "testsrc=…", "smptebars=…"). */
export const isSource = (entry: ProcessInfo, pattern: string): boolean => entry.cmdline.some((arg) => arg.startsWith(`${pattern}=`));

/**
 * Cleanup after a test, whatever happened: SIGKILL to each process group that still has members (the
 * worker leads its own group, so this ends it and its ffmpegs), then to each process seen earlier that is
 * still the same process.
 */
export function killLeftovers(groups: Iterable<number>, processes: Iterable<Pick<ProcessInfo, 'pid' | 'pgid'>>): void {
  for (const pgid of groups) {
    if (groupMembers(pgid).length === 0) continue;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  for (const seen of processes) {
    if (!stillAlive(seen)) continue;
    try {
      process.kill(seen.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
