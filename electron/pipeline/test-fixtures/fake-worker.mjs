/**
 * A stand-in for the pipeline worker, for the supervisor's tests. FAKE_WORKER picks the behaviour:
 *   good               ready; answers capture/stopRecord; exits 0 on SIGTERM
 *   never-ready        says something valid but never `ready`
 *   crash-after-ready  ready, then exit 1
 *   crash-before-ready a stderr line, then exit 1
 *   ignore-sigterm     ready; SIGTERM does nothing
 *   grandchild         starts `sleep 1000` (its own child), then ready; ignores SIGTERM
 *   invalid-message    ready, one huge invalid message, then a valid one
 *   stderr-flood       ready, then thousands of stderr lines
 */
import { spawn } from 'node:child_process';
import { clearInterval, setInterval } from 'node:timers';

const mode = process.env.FAKE_WORKER ?? 'good';
const send = (message, then) => process.send(message, then);
const ready = (then) => send({ type: 'ready', version: 1, pid: process.pid }, then);
// The IPC channel alone keeps a process alive only while it is referenced; this keeps every mode up.
const keepAlive = setInterval(() => undefined, 60_000);

process.on('message', (message) => {
  if (message.type === 'capture') {
    send({ type: 'result', id: message.id, ok: true, path: `${message.dir}/${message.stem}.${message.format}` });
  } else if (message.type === 'stopRecord') {
    // An environment probe: which variables the worker was given.
    send({ type: 'result', id: message.id, ok: true, path: Object.keys(process.env).sort().join(',') });
  }
});

process.on('SIGTERM', () => {
  if (mode === 'ignore-sigterm' || mode === 'grandchild') {
    process.stderr.write('ignoring SIGTERM\n');
    return;
  }
  clearInterval(keepAlive);
  process.exit(0);
});

switch (mode) {
  case 'never-ready':
    send({ type: 'cameras', cameras: [] });
    break;
  case 'crash-after-ready':
    ready(() => process.exit(1));
    break;
  case 'crash-before-ready':
    process.stderr.write('fake worker: camera library missing\n', () => process.exit(1));
    break;
  case 'grandchild': {
    const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
    child.on('spawn', () => ready());
    break;
  }
  case 'invalid-message':
    ready(() => send({ type: 'cameras', cameras: 'x'.repeat(200_000) }, () => send({ type: 'cameras', cameras: [] })));
    break;
  case 'stderr-flood':
    ready(() => {
      for (let i = 0; i < 5000; i += 1) process.stderr.write(`flood line ${i}\n`);
    });
    break;
  default:
    process.stderr.write('fake worker up\n');
    ready();
}
