/**
 * Starts the pipeline worker with child_process.fork: the plain-Node path (`campanel serve`, tests).
 * The Electron app uses desktop/utility-launcher.ts instead; both hand the supervisor a WorkerHandle.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import type { WorkerHandle, WorkerLauncher } from './worker-handle.js';

export type WorkerExitEvent = Parameters<Parameters<WorkerHandle['onExit']>[0]>[0];

/** The only variables a worker gets: enough to find tools, pick a locale and a time zone. */
const WORKER_ENV_KEYS = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'XDG_RUNTIME_DIR'] as const;
/** Never passed on, even if someone adds such a name to the list above. */
const SECRET_LOOKING = /KEY|SECRET|TOKEN|PASSWORD/i;

export function minimalWorkerEnv(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of WORKER_ENV_KEYS) {
    const value = source[key];
    if (value !== undefined && !SECRET_LOOKING.test(key)) env[key] = value;
  }
  return env;
}

/**
 * Delivers the exit exactly once, also to listeners registered after it happened: the supervisor
 * subscribes only after the launcher has returned, and a failed spawn can be known by then.
 */
export class ExitLatch {
  #exit: WorkerExitEvent | null = null;
  #listeners: Array<(exit: WorkerExitEvent) => void> = [];

  get fired(): boolean {
    return this.#exit !== null;
  }

  on(listener: (exit: WorkerExitEvent) => void): void {
    const exit = this.#exit;
    if (exit) queueMicrotask(() => listener(exit));
    else this.#listeners.push(listener);
  }

  fire(exit: WorkerExitEvent): void {
    if (this.#exit) return;
    this.#exit = exit;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener(exit);
  }
}

export function endedStream(): Readable {
  const stream = new PassThrough();
  stream.end();
  return stream;
}

/** A worker that could not be started: no pid, empty streams, and an exit carrying the reason. */
export function unstartedHandle(error: Error): WorkerHandle {
  const latch = new ExitLatch();
  // Later, not now: the caller has not subscribed yet, and a synchronous exit would re-enter it.
  setImmediate(() => latch.fire({ code: null, signal: null, error }));
  return {
    pid: undefined,
    frames: endedStream(),
    stderr: endedStream(),
    send: () => undefined,
    kill: () => undefined,
    onMessage: () => undefined,
    onExit: (listener) => latch.on(listener),
  };
}

export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Forks `entryPath` as the worker. detached makes it a process-group leader, so SIGKILL can reach
 * the camera tools it runs (ffmpeg, rpicam-vid) as well: nothing survives a killed worker.
 */
export function forkLauncher(entryPath: string): WorkerLauncher {
  return ({ env }) => {
    // fork() of a missing file still starts a Node process that dies with "Cannot find module";
    // saying so directly gives the operator the real reason.
    if (!existsSync(entryPath)) {
      return unstartedHandle(Object.assign(new Error(`the worker program ${entryPath} does not exist`), { code: 'ENOENT' }));
    }
    let child: ChildProcess;
    try {
      child = fork(entryPath, [], {
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        env, // exactly this: nothing of the main process's environment (secrets) is inherited
        execArgv: [], // no --inspect or loader flags of the main process
        serialization: 'json',
        detached: true,
      });
    } catch (error) {
      return unstartedHandle(toError(error));
    }
    return forkedHandle(child);
  };
}

function forkedHandle(child: ChildProcess): WorkerHandle {
  const latch = new ExitLatch();
  child.on('error', (error) => {
    // Without a pid the spawn failed (ENOENT, EAGAIN …) and no 'exit' follows. With one, 'error'
    // only reports a failed kill or send, and the real exit still comes.
    if (child.pid === undefined) latch.fire({ code: null, signal: null, error });
  });
  child.on('exit', (code, signal) => {
    // Whatever the worker left in its group (a camera tool it did not stop) is an orphan now.
    if (child.pid !== undefined) killGroup(child.pid);
    latch.fire({ code, signal });
  });
  return {
    get pid() {
      return child.pid;
    },
    frames: child.stdout ?? endedStream(),
    stderr: child.stderr ?? endedStream(),
    send(message) {
      if (!child.connected) return;
      try {
        // With a callback, a channel that closed meanwhile (ERR_IPC_CHANNEL_CLOSED) is reported
        // here instead of as an 'error' event; the exit tells the supervisor what happened.
        child.send(message, () => undefined);
      } catch {
        // Same: the worker is going away, and its exit is what the supervisor acts on.
      }
    },
    kill(signal) {
      const pid = child.pid;
      if (pid === undefined) return;
      // SIGTERM asks only the worker, which stops its own children gracefully; SIGKILL ends the group.
      if (signal === 'SIGKILL' && killGroup(pid)) return;
      child.kill(signal); // a no-op once Node has reaped the child, so never a reused pid
    },
    onMessage(listener) {
      child.on('message', (message: unknown) => listener(message));
    },
    onExit: (listener) => latch.on(listener),
  };
}

/** False when there is no such group (already gone). */
function killGroup(pgid: number): boolean {
  try {
    process.kill(-pgid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
