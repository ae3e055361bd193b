/**
 * The control channel to the main process, whichever way the worker was started:
 * child_process.fork (process.send / 'message' / 'disconnect') or Electron's utilityProcess.fork
 * (process.parentPort, whose messages arrive wrapped as { data }).
 */
import type { FromWorker } from '../protocol.js';

/** The part of Electron's ParentPort the worker uses (declared here: the worker does not import electron). */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

export interface ControlChannel {
  kind: 'fork' | 'utilityProcess';
  send(message: FromWorker): void;
  onMessage(listener: (message: unknown) => void): void;
  /** The main process is gone (fork only: Electron ends a utility process together with its parent). */
  onDisconnect(listener: () => void): void;
}

export function openControlChannel(proc: NodeJS.Process = process): ControlChannel | null {
  const parentPort = (proc as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      kind: 'utilityProcess',
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      onDisconnect: () => undefined,
    };
  }
  const send = proc.send?.bind(proc);
  if (!send) return null;
  return {
    kind: 'fork',
    send: (message) => {
      // After a disconnect the message has nowhere to go; send() would throw.
      if (proc.connected) send(message, undefined, undefined, () => undefined);
    },
    onMessage: (listener) => proc.on('message', (message: unknown) => listener(message)),
    onDisconnect: (listener) => proc.once('disconnect', listener),
  };
}
