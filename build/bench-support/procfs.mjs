/**
 * What the camera benchmark reads from Linux's /proc: process tables (parent, group, session), CPU time
 * (utime + stime, every thread of the process, not its children) and resident memory.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Clock ticks per second of /proc/<pid>/stat times (100 on every Linux we know; asked anyway). */
export const CLK_TCK = (() => {
  const answer = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim());
  return Number.isFinite(answer) && answer > 0 ? answer : 100;
})();

/** Wall-clock milliseconds with sub-millisecond resolution (the clock X-Timestamp is compared with). */
export const nowMs = () => performance.timeOrigin + performance.now();

/** /proc/<pid>/stat, or null when there is no such process. */
export function readStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // The command name is in parentheses and may itself contain spaces or parentheses: split after the last ')'.
  const close = text.lastIndexOf(')');
  const f = text.slice(close + 2).split(' ');
  return {
    pid,
    comm: text.slice(text.indexOf('(') + 1, close),
    state: f[0],
    ppid: Number(f[1]),
    pgrp: Number(f[2]),
    sid: Number(f[3]),
    utime: Number(f[11]),
    stime: Number(f[12]),
    starttime: Number(f[19]),
  };
}

export function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** CPU seconds (user + system, all threads) a process has used so far, or null when it is gone. */
export function cpuSeconds(pid) {
  const stat = pid ? readStat(pid) : null;
  return stat ? (stat.utime + stat.stime) / CLK_TCK : null;
}

/** VmRSS in bytes, or null. */
export function rssBytes(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Every process visible in /proc. */
export function processTable() {
  const table = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) table.push(stat);
  }
  return table;
}

/** The children, grandchildren … of `rootPid` (not itself). */
export function descendants(rootPid, table = processTable()) {
  const byParent = new Map();
  for (const p of table) {
    if (!byParent.has(p.ppid)) byParent.set(p.ppid, []);
    byParent.get(p.ppid).push(p);
  }
  const found = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    for (const child of byParent.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** True while the very process seen earlier (same pid and start time) still exists. */
export function stillRunning(seen) {
  const now = readStat(seen.pid);
  return now !== null && now.starttime === seen.starttime;
}

/** CPU seconds of several processes at one moment; compare two with cpuPercent. */
export function cpuSample(pids) {
  const seconds = new Map();
  for (const [name, pid] of Object.entries(pids)) seconds.set(name, cpuSeconds(pid));
  return { at: nowMs(), seconds };
}

/** Percent of one core used by `name` between two samples, or null if it was not there at both. */
export function cpuPercent(before, after, name) {
  const a = before.seconds.get(name);
  const b = after.seconds.get(name);
  if (a === null || a === undefined || b === null || b === undefined || b < a) return null;
  return ((b - a) / ((after.at - before.at) / 1000)) * 100;
}

/**
 * Nanoseconds the process's main thread has spent runnable but waiting for a CPU (/proc/<pid>/schedstat,
 * second field), or null. Growing fast means the machine, not the program, is what delays it.
 */
export function runqueueWaitNs(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'latin1').split(' ')[1]);
  } catch {
    return null;
  }
}

/** Microseconds during which some runnable task had to wait for a CPU, machine-wide (PSI), or null. */
export function cpuPressureUs() {
  try {
    return Number(/^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'latin1'))?.[1]);
  } catch {
    return null;
  }
}

/** Machine load during a window: PSI "some" and the run-queue waits of named processes, as % of the window. */
export function contentionSample(pids) {
  const waits = new Map();
  for (const [name, pid] of Object.entries(pids)) waits.set(name, pid ? runqueueWaitNs(pid) : null);
  return { at: nowMs(), pressure: cpuPressureUs(), waits };
}

export function contentionPercent(before, after) {
  const ms = after.at - before.at;
  const result = { pressure: before.pressure === null || after.pressure === null ? null : ((after.pressure - before.pressure) / 1000 / ms) * 100 };
  for (const [name, a] of before.waits) {
    const b = after.waits.get(name);
    result[name] = a === null || b === null || b === undefined ? null : ((b - a) / 1e6 / ms) * 100;
  }
  return result;
}

/**
 * Bytes the kernel holds on each end of one loopback connection: the server's send queue (tx_queue of
 * serverPort→clientPort) and the client's receive queue (rx_queue of clientPort→serverPort).
 */
export function loopbackQueues(serverPort, clientPort) {
  const found = { serverTx: null, clientRx: null };
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length < 5 || f[3] !== '01') continue;
      const local = parseInt(f[1].split(':')[1], 16);
      const remote = parseInt(f[2].split(':')[1], 16);
      const [tx, rx] = f[4].split(':').map((hex) => parseInt(hex, 16));
      if (local === serverPort && remote === clientPort) found.serverTx = tx;
      if (local === clientPort && remote === serverPort) found.clientRx = rx;
    }
  }
  return found;
}
