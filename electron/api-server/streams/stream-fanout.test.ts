/**
 * Every stream of every camera over real sockets: the response head, one hub subscription feeding all
 * clients the same Buffer, client counts on open and close, and the keep-alive timer's life.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { socketPairs } from '../../test-support/socket-pair.js';
import { FrameHub } from '../../pipeline/frames/frame-hub.js';
import { KEEPALIVE_MS, STREAM_RESPONSE_HEAD, partHead } from './mjpeg-client.js';
import { StreamFanout } from './stream-fanout.js';

const pairs = socketPairs();
const fanouts: StreamFanout[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const fanout of fanouts.splice(0)) fanout.close();
  await pairs.closeAll();
});

/** `socket` is handed to the fanout; `bytes()` is what the peer got. */
async function socketPair() {
  const { server, peer, received } = await pairs.open();
  return { socket: server, peer, bytes: () => received().toString('latin1') };
}

async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function makeFanout(hub: FrameHub) {
  const counts: Array<[number, number]> = [];
  const fanout = new StreamFanout(hub, null, (camera, count) => counts.push([camera, count]));
  fanouts.push(fanout);
  return { fanout, counts };
}

const head = STREAM_RESPONSE_HEAD.toString('latin1');
const part = (jpeg: string, timestamp: string) =>
  `--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\nX-Timestamp: ${timestamp}\r\n\r\n${jpeg}\r\n`;

describe('StreamFanout', () => {
  it('answers with the raspiCamSrv response head, then every published frame as a part', async () => {
    const hub = new FrameHub();
    const { fanout } = makeFanout(hub);
    const { socket, bytes } = await socketPair();
    fanout.open(0, socket);
    await until('the head arrived', () => bytes().length === head.length);
    expect(bytes()).toBe(
      'HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=frame\r\n' +
        'Cache-Control: no-cache, no-store, must-revalidate\r\nPragma: no-cache\r\nExpires: 0\r\n' +
        'X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n',
    );
    hub.publish(1, Buffer.from('other camera'), 1);
    hub.publish(0, Buffer.from('JPEG'), 1_700_000_000.25);
    const expected = head + part('JPEG', '1700000000.250000');
    await until('the part arrived', () => bytes().length >= expected.length);
    expect(bytes()).toBe(expected);
  });

  it('sends a fresh latest frame at once on open, but not one older than KEEPALIVE_MS', async () => {
    let now = 0;
    const hub = new FrameHub(() => now);
    const { fanout } = makeFanout(hub);
    hub.publish(0, Buffer.from('fresh'), 7);
    now += KEEPALIVE_MS;
    const fresh = await socketPair();
    fanout.open(0, fresh.socket);
    now += 1;
    const late = await socketPair();
    const lateClient = fanout.open(0, late.socket);
    await until('the fresh frame arrived', () => fresh.bytes() === head + part('fresh', '7.000000'));
    await until('the late head arrived', () => late.bytes().length === head.length);
    expect(lateClient.sent).toBe(0);
  });

  it('hands every client the same part-head and JPEG Buffers, from one hub subscription', async () => {
    const hub = new FrameHub();
    const { fanout } = makeFanout(hub);
    const pairs = [await socketPair(), await socketPair(), await socketPair()];
    const writes = pairs.map(({ socket }) => vi.spyOn(socket, 'write'));
    for (const { socket } of pairs) fanout.open(2, socket);
    expect(hub.subscribers(2)).toBe(1);
    const jpeg = Buffer.from('shared picture');
    hub.publish(2, jpeg, 3);
    const frame = hub.latest(2);
    if (!frame) throw new Error('no frame');
    for (const write of writes) {
      const written = write.mock.calls.map((call) => call[0]);
      expect(written).toHaveLength(4); // response head, part head, JPEG, CRLF
      expect(written[1]).toBe(partHead(frame));
      expect(written[2]).toBe(jpeg);
    }
    for (const { bytes } of pairs) await until('every client got the frame', () => bytes() === head + part('shared picture', '3.000000'));
  });

  it('reports the client count on open and on close, and lets go of the hub after the last one', async () => {
    const hub = new FrameHub();
    const { fanout, counts } = makeFanout(hub);
    const a = await socketPair();
    const b = await socketPair();
    const c = await socketPair();
    fanout.open(0, a.socket);
    fanout.open(0, b.socket);
    fanout.open(1, c.socket);
    expect(counts).toEqual([[0, 1], [0, 2], [1, 1]]);
    expect([fanout.clients(0), fanout.clients(1), fanout.all().length]).toEqual([2, 1, 3]);

    a.peer.destroy();
    await until('a is counted out', () => counts.length === 4);
    expect(counts[3]).toEqual([0, 1]);
    b.peer.end();
    await until('b is counted out', () => counts.length === 5);
    expect(counts[4]).toEqual([0, 0]);
    expect([fanout.clients(0), hub.subscribers(0), hub.subscribers(1)]).toEqual([0, 0, 1]);
  });

  it('keeps an interval only while clients exist, and close() clears it and the subscriptions', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const hub = new FrameHub();
    const { fanout } = makeFanout(hub);
    const a = await socketPair();
    const b = await socketPair();
    expect(vi.getTimerCount()).toBe(0);
    fanout.open(0, a.socket);
    fanout.open(1, b.socket);
    expect(vi.getTimerCount()).toBe(1);
    a.peer.destroy();
    await until('a is gone', () => fanout.clients(0) === 0);
    expect(vi.getTimerCount()).toBe(1);
    fanout.close();
    expect(vi.getTimerCount()).toBe(0);
    expect([hub.subscribers(1), fanout.all().length]).toEqual([0, 0]);
  });

  it('the last client leaving stops the interval', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { fanout } = makeFanout(new FrameHub());
    const a = await socketPair();
    fanout.open(0, a.socket);
    expect(vi.getTimerCount()).toBe(1);
    a.peer.destroy();
    await until('a is gone', () => fanout.clients(0) === 0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('re-sends the latest frame after a silent KEEPALIVE_MS', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const hub = new FrameHub();
    const { fanout } = makeFanout(hub);
    const { socket, bytes } = await socketPair();
    const client = fanout.open(0, socket);
    hub.publish(0, Buffer.from('last'), 9);
    const once = head + part('last', '9.000000');
    await until('the frame arrived', () => bytes() === once);
    await new Promise((resolve) => setImmediate(resolve));
    vi.advanceTimersByTime(KEEPALIVE_MS - 1);
    expect(client.sent).toBe(1);
    vi.advanceTimersByTime(1);
    expect(client.sent).toBe(2);
    await until('the frame arrived again', () => bytes() === once + part('last', '9.000000'));
  });
});
