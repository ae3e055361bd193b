/**
 * Starts the pipeline worker as an Electron utility process (the desktop app). Electron's
 * utilityProcess has no process-group option, so SIGKILL reaches the worker only; the camera tools
 * it runs must die with it by their own means (the worker watches its parent channel).
 */
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { UtilityProcess } from 'electron';
import type { WorkerHandle, WorkerLauncher } from '../pipeline/worker-handle.js';
import { ExitLatch, toError, unstartedHandle } from '../pipeline/worker-launcher.js';

/** Electron's `utilityProcess`, passed in so this module loads (and is tested) without Electron. */
export type UtilityProcessApi = Pick<typeof import('electron').utilityProcess, 'fork'>;

export const PIPELINE_SERVICE_NAME = 'CamPanel camera pipeline';

export function utilityLauncher(utilityProcess: UtilityProcessApi, entryPath: string): WorkerLauncher {
  return ({ env }) => {
    // Electron would start the process anyway and let it die with "Cannot find module".
    if (!existsSync(entryPath)) {
      return unstartedHandle(Object.assign(new Error(`the worker program ${entryPath} does not exist`), { code: 'ENOENT' }));
    }
    let child: UtilityProcess;
    try {
      // env exactly as given (Electron's default would be the main process's whole environment).
      child = utilityProcess.fork(entryPath, [], { stdio: 'pipe', env, serviceName: PIPELINE_SERVICE_NAME });
    } catch (error) {
      return unstartedHandle(toError(error));
    }
    return utilityHandle(child);
  };
}

type ChildStream = NonNullable<UtilityProcess['stdout']>;

function utilityHandle(child: UtilityProcess): WorkerHandle {
  const latch = new ExitLatch();
  // Streams of our own: Electron's may be null until 'spawn', and at 'exit' it drops them together
  // with every listener, which would leave a reader waiting forever for their end.
  const frames = new PassThrough();
  const stderr = new PassThrough();
  const piped = new Map<PassThrough, ChildStream>();
  const attach = () => {
    for (const [source, target] of [
      [child.stdout, frames],
      [child.stderr, stderr],
    ] as const) {
      if (source && !piped.has(target)) {
        piped.set(target, source);
        source.pipe(target);
      }
    }
  };
  let exited = false;

  attach();
  child.on('spawn', attach);
  // A V8 fatal error; 'exit' follows. Without a listener the 'error' event would throw in the main process.
  child.on('error', () => undefined);
  child.on('exit', (code) => {
    exited = true;
    for (const [target, source] of piped) {
      // Take what Electron's stream still holds before it is dropped, then end ours.
      source.unpipe(target);
      for (let chunk = source.read(); chunk !== null; chunk = source.read()) target.write(chunk);
    }
    frames.end();
    stderr.end();
    // utilityProcess reports a code only, even for a process that was killed.
    latch.fire({ code, signal: null });
  });

  return {
    get pid() {
      return child.pid;
    },
    frames,
    stderr,
    send(message) {
      if (exited) return;
      try {
        child.postMessage(message);
      } catch {
        // The process is going away; its exit is what the supervisor acts on.
      }
    },
    kill(signal) {
      // After the exit the pid may already belong to another process: never signal it then.
      if (exited) return;
      if (signal === 'SIGTERM') {
        child.kill();
        return;
      }
      // utilityProcess.kill() can only ask (SIGTERM); ending a stuck worker takes a real SIGKILL.
      const pid = child.pid;
      if (pid === undefined) return;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
    onMessage(listener) {
      child.on('message', (message: unknown) => listener(message));
    },
    onExit: (listener) => latch.on(listener),
  };
}
