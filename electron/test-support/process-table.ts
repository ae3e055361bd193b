/**
 * The process table as Linux's /proc shows it, for tests that must prove no process outlives
 * what started it (no orphaned worker, no stray ffmpeg). Linux only, like CamPanel's targets.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** R running, S sleeping, D disk wait, Z zombie, T stopped, X dead … */
  state: string;
  cmdline: string[];
}

/** One process, or null when there is no such pid (or it vanished while being read). */
export function readProcess(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp …": comm may itself contain spaces and parentheses, so cut at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readCmdline(pid);
    return { pid, state: fields[0] ?? '?', ppid: Number(fields[1]), pgid: Number(fields[2]), cmdline };
  } catch {
    return null;
  }
}

function readCmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

export function listProcesses(): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProcess(Number(name));
    if (info) processes.push(info);
  }
  return processes;
}

/**
 * Every process below `pid` (children, grandchildren …), found by parent links: call it while the
 * tree is intact, because an orphan is re-parented (to init or a subreaper) and drops out of it.
 */
export function descendantsOf(pid: number, all: ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  let parents = new Set([pid]);
  while (parents.size > 0) {
    const children = all.filter((p) => parents.has(p.ppid) && !found.some((f) => f.pid === p.pid));
    found.push(...children);
    parents = new Set(children.map((p) => p.pid));
  }
  return found;
}

/** Every process in a process group, orphans included (they keep their group when re-parented). */
export function groupMembers(pgid: number): ProcessInfo[] {
  return listProcesses().filter((p) => p.pgid === pgid);
}

/** A zombie has exited (only its parent has not collected it yet): not alive. */
export function isAlive(pid: number): boolean {
  const info = readProcess(pid);
  return info !== null && info.state !== 'Z' && info.state !== 'X';
}

/** Polls until none of `pids` is alive; resolves with the ones still alive at the deadline ([] = all gone). */
export async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** True when the process runs `program` (its path or its bare name appears among its arguments). */
export const runs = (entry: ProcessInfo, program: string): boolean => entry.cmdline.some((arg) => arg === program || arg.endsWith(`/${program}`));
