import { describe, expect, it } from 'vitest';
import { LatestFrameDecoder } from './latest-frame-decoder';
import type { MjpegFrame } from './mjpeg-parser';

const frame = (n: number): MjpegFrame => ({ jpeg: Uint8Array.of(n), timestamp: n });

/** A decoder whose decodes finish only when the test says so. */
function manualDecoder(fail: (n: number) => boolean = () => false) {
  const waiting: { n: number; finish(): void }[] = [];
  const drawn: number[] = [];
  const discarded: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const decoder = new LatestFrameDecoder<number>({
    decode: (f) =>
      new Promise<number>((resolve, reject) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const n = f.jpeg[0]!;
        waiting.push({ n, finish: () => (inFlight--, fail(n) ? reject(new Error(`bad ${n}`)) : resolve(n)) });
      }),
    draw: (image) => drawn.push(image),
    discard: (image) => discarded.push(image),
  });
  const finishNext = async () => {
    waiting.shift()!.finish();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { decoder, waiting, drawn, discarded, finishNext, maxInFlight: () => maxInFlight };
}

describe('LatestFrameDecoder', () => {
  it('decodes one frame at a time and then only the newest that arrived meanwhile', async () => {
    const t = manualDecoder();
    t.decoder.offer(frame(1));
    t.decoder.offer(frame(2));
    t.decoder.offer(frame(3));
    t.decoder.offer(frame(4));
    expect(t.waiting.map((w) => w.n)).toEqual([1]);
    await t.finishNext();
    expect(t.waiting.map((w) => w.n)).toEqual([4]);
    await t.finishNext();
    expect(t.drawn).toEqual([1, 4]);
    expect(t.decoder.skipped).toBe(2);
    expect(t.maxInFlight()).toBe(1);
  });

  it('starts again on the next offer once idle', async () => {
    const t = manualDecoder();
    t.decoder.offer(frame(1));
    await t.finishNext();
    t.decoder.offer(frame(2));
    await t.finishNext();
    expect(t.drawn).toEqual([1, 2]);
    expect(t.decoder.skipped).toBe(0);
  });

  it('counts a frame that fails to decode and goes on with the next', async () => {
    const t = manualDecoder((n) => n === 1);
    t.decoder.offer(frame(1));
    t.decoder.offer(frame(2));
    await t.finishNext();
    await t.finishNext();
    expect(t.drawn).toEqual([2]);
    expect(t.decoder.failed).toBe(1);
  });

  it('draws nothing after stop and frees what was still decoding', async () => {
    const t = manualDecoder();
    t.decoder.offer(frame(1));
    t.decoder.offer(frame(2));
    t.decoder.stop();
    await t.finishNext();
    t.decoder.offer(frame(3));
    expect(t.drawn).toEqual([]);
    expect(t.discarded).toEqual([1]);
    expect(t.waiting).toEqual([]);
  });
});
