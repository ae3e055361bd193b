/**
 * One MJPEG connection over a real socket pair: the part format byte for byte, skipping while a write is
 * pending or the kernel holds a backlog, and the keep-alive re-send after a silent second (injected clock).
 */
import { socketPairs } from '../../test-support/socket-pair.js';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameHub, type Frame } from '../../pipeline/frames/frame-hub.js';
import { KEEPALIVE_MS, PROMOTE_AFTER, MjpegClient, STREAM_BOUNDARY, partHead } from './mjpeg-client.js';
import type { SendQueueProbe } from './send-queue.js';

const pairs = socketPairs();

afterEach(() => pairs.closeAll());

/** `server` is what MjpegClient writes to; `bytes()` is what the peer got. */
async function socketPair() {
  const { server, peer, received } = await pairs.open();
  return { server, client: peer, bytes: received };
}

async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets pending write callbacks run (they come after the bytes reached the peer). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A SendQueueProbe stand-in: `queued` is what its current sample says; `nextSample()` starts a new one. */
function probeReporting(initial: number | undefined) {
  const asked: Array<[number | undefined, number | undefined]> = [];
  const state = { queued: initial, generation: 1, busy: false };
  const fake: Pick<SendQueueProbe, 'queuedFor' | 'watch' | 'generation' | 'setBusy'> = {
    watch: () => undefined,
    get generation() {
      return state.generation;
    },
    setBusy: (_socket, busy) => void (state.busy = busy),
    queuedFor: (socket) => {
      asked.push([socket.localPort, socket.remotePort]);
      return state.queued;
    },
  };
  const nextSample = (queued: number | undefined) => {
    state.queued = queued;
    state.generation++;
  };
  return { probe: fake as SendQueueProbe, asked, state, nextSample };
}

function frameOf(hub: FrameHub, camera: number, text: string, timestamp: number): Frame {
  hub.publish(camera, Buffer.from(text, 'latin1'), timestamp);
  const frame = hub.latest(camera);
  if (!frame) throw new Error('no frame');
  return frame;
}

const part = (jpeg: string, timestamp: string) =>
  `--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\nX-Timestamp: ${timestamp}\r\n\r\n${jpeg}\r\n`;

describe('partHead', () => {
  it('is the multipart part head with length and microsecond timestamp, built once per frame', () => {
    const hub = new FrameHub();
    const frame = frameOf(hub, 0, '\xff\xd8jpeg\xff\xd9', 1_754_000_000.5);
    expect(STREAM_BOUNDARY).toBe('frame');
    expect(partHead(frame).toString('latin1')).toBe('--frame\r\nContent-Type: image/jpeg\r\nContent-Length: 8\r\nX-Timestamp: 1754000000.500000\r\n\r\n');
    expect(partHead(frame)).toBe(partHead(frame));
  });
});

describe('MjpegClient', () => {
  it('writes each frame as one exact multipart part', async () => {
    const { server, bytes } = await socketPair();
    const hub = new FrameHub();
    const client = new MjpegClient(server, null);
    const first = part('JPEG-ONE', '1700000000.123456');
    const expected = first + part('two', '1700000001.000000');
    client.offer(frameOf(hub, 0, 'JPEG-ONE', 1_700_000_000.123456));
    await until('the first part arrived', () => bytes().length === first.length);
    await settle();
    client.offer(frameOf(hub, 0, 'two', 1_700_000_001));
    await until('both parts arrived', () => bytes().length >= expected.length);
    expect(bytes().toString('latin1')).toBe(expected);
    expect([client.sent, client.skipped]).toEqual([2, 0]);
  });

  it('skips a frame offered while the previous write is still pending', async () => {
    const { server, bytes } = await socketPair();
    const hub = new FrameHub();
    const client = new MjpegClient(server, null);
    client.offer(frameOf(hub, 0, 'first', 1));
    client.offer(frameOf(hub, 0, 'second', 2));
    expect([client.sent, client.skipped]).toEqual([1, 1]);
    await until('the first part arrived', () => bytes().length === part('first', '1.000000').length);
    await settle();
    client.offer(frameOf(hub, 0, 'third', 3));
    expect([client.sent, client.skipped]).toEqual([2, 1]);
    await until('the third part arrived', () => bytes().length === part('first', '1.000000').length + part('third', '3.000000').length);
    expect(bytes().toString('latin1')).toBe(part('first', '1.000000') + part('third', '3.000000'));
  });

  it('skips frames while the kernel holds more than half a frame for this peer', async () => {
    const { server, bytes } = await socketPair();
    const hub = new FrameHub();
    const jpeg = 'x'.repeat(100);
    const backlogged = probeReporting(51);
    const client = new MjpegClient(server, backlogged.probe);
    client.offer(frameOf(hub, 0, jpeg, 1));
    expect([client.sent, client.skipped]).toEqual([0, 1]);
    expect(backlogged.asked).toEqual([[server.localPort, server.remotePort]]);

    const halfFrame = new MjpegClient(server, probeReporting(50).probe);
    halfFrame.offer(frameOf(hub, 0, jpeg, 2));
    expect(halfFrame.sent).toBe(1);
    await until('the part arrived', () => bytes().length === part(jpeg, '2.000000').length);
  });

  it('paces a client from its first frame and whenever seen behind: one frame per kernel sample, until it takes PROMOTE_AFTER in a row', async () => {
    const { server } = await socketPair();
    const hub = new FrameHub();
    const fake = probeReporting(0);
    const client = new MjpegClient(server, fake.probe);
    expect([client.paced, fake.state.busy]).toEqual([true, true]);
    const offerAndSettle = async (n: number) => {
      client.offer(frameOf(hub, 0, 'y'.repeat(100), n));
      await settle();
    };
    await offerAndSettle(1);
    await offerAndSettle(2); // same sample: a paced client already had its frame
    expect([client.sent, client.skipped]).toEqual([1, 1]);

    for (let sample = 0; sample < PROMOTE_AFTER; sample++) {
      fake.nextSample(0);
      await offerAndSettle(10 + sample);
    }
    expect([client.paced, fake.state.busy]).toEqual([false, false]);
    const free = client.sent;
    await offerAndSettle(20);
    await offerAndSettle(21);
    expect(client.sent).toBe(free + 2); // free: every frame once the last was written

    fake.nextSample(280); // a free client caught mid-transfer: up to three frames waiting is not behind
    await offerAndSettle(29);
    expect([client.sent, client.paced]).toEqual([free + 3, false]);
    fake.nextSample(350); // behind: more than three whole frames waiting
    await offerAndSettle(30);
    expect([client.sent, client.paced, fake.state.busy]).toEqual([free + 3, true, true]);
    fake.nextSample(60); // paced: more than half a frame still queued, nothing more yet
    await offerAndSettle(31);
    expect(client.sent).toBe(free + 3);
    fake.nextSample(0);
    await offerAndSettle(32);
    await offerAndSettle(33);
    expect(client.sent).toBe(free + 4);
  });

  it('sends when the probe does not know the connection', async () => {
    const { server } = await socketPair();
    const client = new MjpegClient(server, probeReporting(undefined).probe);
    client.offer(frameOf(new FrameHub(), 0, 'x', 1));
    expect(client.sent).toBe(1);
  });

  it('keepAlive re-sends the last frame only after KEEPALIVE_MS without sending', async () => {
    const { server, bytes } = await socketPair();
    let now = 10_000;
    const hub = new FrameHub();
    const client = new MjpegClient(server, null, () => now);
    const frame = frameOf(hub, 0, 'still', 5);
    const one = part('still', '5.000000').length;

    client.keepAlive(undefined); // nothing sent yet: nothing to repeat
    expect(client.sent).toBe(0);
    client.offer(frame);
    await until('the frame arrived', () => bytes().length === one);
    await settle();
    now += KEEPALIVE_MS - 1;
    client.keepAlive(undefined);
    expect(client.sent).toBe(1);
    now += 1;
    client.keepAlive(undefined);
    expect(client.sent).toBe(2);
    await until('the frame arrived again', () => bytes().length === 2 * one);
    await settle();

    now += KEEPALIVE_MS;
    client.keepAlive(frameOf(hub, 0, 'newer', 6));
    await until('the newer frame arrived', () => bytes().length === 2 * one + part('newer', '6.000000').length);
    expect(bytes().toString('latin1').endsWith(part('newer', '6.000000'))).toBe(true);
  });

  it('keepAlive does not write while a write is pending or the peer is backlogged', async () => {
    const { server } = await socketPair();
    let now = 0;
    const hub = new FrameHub();
    const pending = new MjpegClient(server, null, () => now);
    pending.offer(frameOf(hub, 0, 'a', 1));
    now += 10 * KEEPALIVE_MS;
    pending.keepAlive(undefined);
    expect(pending.sent).toBe(1);

    const backlogged = new MjpegClient(server, probeReporting(1_000_000).probe, () => now);
    backlogged.keepAlive(frameOf(hub, 0, 'b', 2));
    expect(backlogged.sent).toBe(0);
  });

  it('once the peer has gone, offers are ignored', async () => {
    const { server, client: peer } = await socketPair();
    const client = new MjpegClient(server, null);
    const closed = new Promise((resolve) => server.once('close', resolve));
    peer.destroy();
    await closed;
    expect(client.closed).toBe(true);
    client.offer(frameOf(new FrameHub(), 0, 'x', 1));
    expect([client.sent, client.skipped]).toEqual([0, 0]);
  });
});
