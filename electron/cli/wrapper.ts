/**
 * `npx campanel serve` (and `npm exec`, `npm start`) runs serve below npm and a `sh -c`. npm passes SIGTERM to
 * the shell only, which dies without passing it on: serve would live on, re-parented to init, holding its ports
 * and the data directory. So serve, when npm started it, watches that wrapper and stops when it is gone.
 * Started any other way (systemd, a supervisor, a plain shell, `nohup … &`) nothing is watched: there a
 * parent that goes away is no reason to stop.
 */
import { basename } from 'node:path';
import { commandLine, identityOf, isSameInstance, processStat, type ProcessIdentity } from '../data-dir/process-identity.js';

export interface Wrapper {
  /** serve's parent when it started (npm itself, or the shell npm ran). */
  parentPid: number;
  /** The npm process above it, where /proc shows one; null leaves only the parent to watch. */
  npm: { pid: number; identity: ProcessIdentity | null } | null;
}

/** How far up to look for npm: serve ← sh ← npm, or serve ← node build/start.mjs ← sh ← npm. */
const MAX_DEPTH = 6;

/** npm and npx set this for every script and `exec` they run; nothing else does. */
const startedByNpm = (env: NodeJS.ProcessEnv): boolean => env['npm_lifecycle_event'] !== undefined;

/** npm shows its title ("npm exec campanel serve …", "npm start") as its command line; older ones show node + npm-cli.js. */
function isNpm(argv: string[]): boolean {
  const [first = '', second = ''] = argv;
  return /^np[mx](\s|$)/.test(first) || ['npm', 'npx'].includes(basename(first)) || /\/np[mx]-cli\.js$/.test(second);
}

/** The wrapper to watch, or null when serve was not started by npm (or is already an orphan). */
export function findWrapper(env: NodeJS.ProcessEnv = process.env): Wrapper | null {
  const parentPid = process.ppid;
  if (!startedByNpm(env) || parentPid <= 1) return null;
  let pid = parentPid;
  for (let depth = 0; depth < MAX_DEPTH && pid > 1; depth++) {
    const argv = commandLine(pid);
    if (argv === null) break;
    if (isNpm(argv)) return { parentPid, npm: { pid, identity: identityOf(pid) } };
    pid = processStat(pid)?.ppid ?? 0;
  }
  return { parentPid, npm: null };
}

/** Calls `onGone` (once) when the wrapper or serve's own parent is gone; returns a function that stops watching. */
export function watchWrapper(wrapper: Wrapper, onGone: (why: string) => void, everyMs = 1000): () => void {
  const timer = setInterval(() => {
    let why: string | null = null;
    if (process.ppid !== wrapper.parentPid) why = `its parent process (pid ${wrapper.parentPid}) ended`;
    else if (wrapper.npm && !isSameInstance(wrapper.npm.pid, wrapper.npm.identity)) why = `npm (pid ${wrapper.npm.pid}), which started it, ended`;
    if (why === null) return;
    clearInterval(timer);
    onGone(why);
  }, everyMs);
  // Watching must never be what keeps the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
