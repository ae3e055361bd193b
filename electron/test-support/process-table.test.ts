import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { descendantsOf, groupMembers, isAlive, readProcess, waitUntilGone } from './process-table.js';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL'); // a no-op for one already gone
});

function run(script: string): ChildProcess {
  const child = spawn('/bin/sh', ['-c', script], { stdio: 'ignore' });
  started.push(child);
  return child;
}

async function until<T>(probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('process table', () => {
  it('reads a process with its parent, group, state and command line', () => {
    const self = readProcess(process.pid);
    expect(self).toMatchObject({ pid: process.pid, ppid: process.ppid });
    expect(self?.cmdline[0]).toContain('node');
    expect(readProcess(2 ** 22 + 1)).toBeNull(); // above pid_max: never a process
  });

  it('finds grandchildren, and sees them gone once killed', async () => {
    const shell = run('sleep 1000 & sleep 1000; wait');
    const pid = shell.pid ?? -1;
    const below = await until(() => {
      const found = descendantsOf(pid);
      return found.length === 2 ? found : undefined;
    });
    expect(below.every((p) => p.cmdline[0] === 'sleep')).toBe(true);
    expect(groupMembers(readProcess(pid)?.pgid ?? -1).map((p) => p.pid)).toEqual(expect.arrayContaining([pid]));
    const all = [pid, ...below.map((p) => p.pid)];
    for (const p of all) process.kill(p, 'SIGKILL');
    expect(await waitUntilGone(all, 2000)).toEqual([]);
  });

  it('counts a zombie as not alive', async () => {
    // The shell becomes a `sleep` that never reaps the short sleep it forked: a zombie until it ends.
    const shell = run('sleep 0.05 & exec sleep 1000');
    const pid = shell.pid ?? -1;
    const zombie = await until(() => descendantsOf(pid).find((p) => p.state === 'Z'));
    expect(isAlive(zombie.pid)).toBe(false);
    expect(isAlive(pid)).toBe(true);
    expect(await waitUntilGone([pid], 100)).toEqual([pid]);
  });
});
