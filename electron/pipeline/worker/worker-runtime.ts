/**
 * The worker once running: control messages validated and dispatched, frames onto stdout, and the
 * ways it ends (SIGTERM, parent gone, stdout gone) — always with every child stopped.
 */
import { fromWorkerSchema, toWorkerSchema, type FromWorker } from '../protocol.js';
import type { ControlChannel } from './channel.js';
import { killAllChildren } from './child-process.js';
import { FrameOutput } from './frame-output.js';
import { PipelineWorker } from './pipeline-worker.js';

/** Shutdown must finish within ~3 s: children get SIGTERM, then SIGKILL at 2 s; this is the backstop. */
const EXIT_BACKSTOP_MS = 2800;

/**
 * Once the main process is gone its end of the stderr pipe is closed: a write then fails with EPIPE. Without
 * a handler that failure is an uncaught exception, whose handler logs, which fails again: a loop that spun at
 * full CPU and kept the worker from closing its recordings after `kill -9` of serve. So stderr errors end
 * logging, quietly, and the shutdown goes on.
 */
let stderrOpen = true;
process.stderr.on('error', () => {
  stderrOpen = false;
});

function log(line: string): void {
  if (!stderrOpen || process.stderr.destroyed) return;
  process.stderr.write(`${line.replace(/[\r\n]+/g, ' ')}\n`);
}

/** Starts the worker on `channel`; returns the handler for incoming (unvalidated) messages. */
export function startWorker(channel: ControlChannel): (message: unknown) => void {
  let checkOutgoing = true;
  const send = (message: FromWorker): void => {
    if (checkOutgoing) {
      try {
        const checked = fromWorkerSchema.safeParse(message);
        // A bug on this side; still sent, so that no request waits forever for its answer.
        if (!checked.success) log(`outgoing ${message.type} message does not match the protocol: ${checked.error.message}`);
      } catch (error) {
        // zod refuses to build a schema it considers ambiguous (and throws on first use): the types still hold.
        checkOutgoing = false;
        log(`outgoing messages are not checked: the protocol schema cannot be used (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    channel.send(message);
  };

  const output = new FrameOutput(process.stdout, log);
  const worker = new PipelineWorker({ send, log, writeFrame: (camera, jpeg, timestamp) => output.write(camera, jpeg, timestamp) });

  let exiting = false;
  const exit = (reason: string, code: number): void => {
    if (exiting) return;
    exiting = true;
    log(`stopping: ${reason}`);
    const backstop = setTimeout(() => {
      killAllChildren('SIGKILL');
      process.exit(code);
    }, EXIT_BACKSTOP_MS);
    void worker
      .shutdown(reason)
      .catch((error: unknown) => log(`shutdown failed: ${String(error)}`))
      .finally(() => {
        clearTimeout(backstop);
        process.exit(code);
      });
  };

  channel.onDisconnect(() => exit('the main process is gone (control channel closed)', 0));
  process.stdout.on('error', (error: NodeJS.ErrnoException) => exit(`stdout failed (${error.code ?? error.message}): the main process is gone`, 0));
  process.on('SIGTERM', () => exit('SIGTERM', 0));
  process.on('SIGINT', () => exit('SIGINT', 0));
  process.on('uncaughtException', (error) => {
    log(`uncaught exception: ${error.stack ?? error.message}`);
    exit('internal error', 1);
  });

  return (raw) => {
    const parsed = toWorkerSchema.safeParse(raw);
    if (!parsed.success) {
      log(`ignored an invalid control message: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ')}`);
      return;
    }
    worker.handle(parsed.data);
  };
}
