/**
 * Entry of the camera pipeline worker process (see ../protocol.ts for what it says and writes).
 * stdout carries only frames; every log line goes to stderr, one line per event.
 *
 * `ready` goes out before anything heavy is loaded (zod and the schemas take a few hundred ms on a
 * busy Pi): messages arriving meanwhile are queued and handled in order once the runtime is in.
 */
import type { PROTOCOL_VERSION } from '../protocol.js';
import { openControlChannel } from './channel.js';

/** Type-checked against protocol.ts without importing it at run time: changing one breaks the build. */
const VERSION: typeof PROTOCOL_VERSION = 1;

const channel = openControlChannel();
if (!channel) {
  process.stderr.write('campanel pipeline worker: no control channel; it is started by the main process (child_process.fork or utilityProcess.fork)\n');
  process.exit(2);
}

const early: unknown[] = [];
let deliver: (message: unknown) => void = (message) => early.push(message);
channel.onMessage((message) => deliver(message));
channel.send({ type: 'ready', version: VERSION, pid: process.pid });

const { startWorker } = await import('./worker-runtime.js');
deliver = startWorker(channel);
for (const message of early.splice(0)) deliver(message);
