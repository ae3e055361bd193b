import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { openControlChannel } from './channel.js';

describe('openControlChannel', () => {
  it('uses Electron’s parentPort when there is one, unwrapping { data }', () => {
    const port = new EventEmitter();
    const posted: unknown[] = [];
    const proc = Object.assign(new EventEmitter(), { parentPort: Object.assign(port, { postMessage: (m: unknown) => posted.push(m) }) }) as unknown as NodeJS.Process;
    const channel = openControlChannel(proc);
    expect(channel?.kind).toBe('utilityProcess');
    const received: unknown[] = [];
    channel?.onMessage((m) => received.push(m));
    port.emit('message', { data: { type: 'demand', camera: 0, active: true } });
    channel?.send({ type: 'ready', version: 1, pid: 1 });
    expect(received).toEqual([{ type: 'demand', camera: 0, active: true }]);
    expect(posted).toEqual([{ type: 'ready', version: 1, pid: 1 }]);
  });

  it('uses process.send in a forked child, and nothing without a channel', () => {
    const sent: unknown[] = [];
    const proc = Object.assign(new EventEmitter(), { connected: true, send: (m: unknown) => sent.push(m) }) as unknown as NodeJS.Process;
    const channel = openControlChannel(proc);
    expect(channel?.kind).toBe('fork');
    let gone = false;
    channel?.onDisconnect(() => (gone = true));
    channel?.send({ type: 'ready', version: 1, pid: 2 });
    proc.emit('disconnect');
    expect(sent).toEqual([{ type: 'ready', version: 1, pid: 2 }]);
    expect(gone).toBe(true);
    expect(openControlChannel(new EventEmitter() as unknown as NodeJS.Process)).toBeNull();
  });
});
