import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { JpegSplitter, jpegDimensions } from './jpeg-splitter.js';

const seg = (marker: number, payload: number[]): number[] => [0xff, marker, ((payload.length + 2) >> 8) & 0xff, (payload.length + 2) & 0xff, ...payload];

/**
 * A structurally complete baseline JPEG (not decodable, which the splitter never needs): APP0, an APP1
 * holding a whole "thumbnail" (its own FFD8…FFD9), DQT, SOF0, DHT, SOS, entropy data with byte
 * stuffing (FF00), restart markers and fill bytes, EOI.
 */
function synthetic(tag: number): Buffer {
  return Buffer.from([
    0xff, 0xd8,
    ...seg(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...seg(0xe1, [0x45, 0x78, 0x69, 0x66, 0, 0, 0xff, 0xd8, 0xff, 0xd9, 0xff, 0xda, 0xff, 0xff, tag]),
    ...seg(0xdb, [0, ...Array.from({ length: 64 }, (_, i) => i + 1)]),
    ...seg(0xc0, [8, 0, 48, 0, 64, 1, 1, 0x11, 0]),
    ...seg(0xc4, [0, ...Array.from({ length: 16 }, () => 0), 0xff]),
    ...seg(0xda, [1, 1, 0, 0, 63, 0]),
    0x12, 0xff, 0x00, 0x34, tag, 0xff, 0xd0, 0x56, 0xff, 0x00, 0xff, 0xd7, 0x78,
    0xff, 0xff, 0xd9,
  ]);
}

/** Progressive style: a marker segment (DHT) between two scans. */
function progressive(): Buffer {
  return Buffer.from([
    0xff, 0xd8,
    ...seg(0xc2, [8, 0, 16, 0, 16, 1, 1, 0x11, 0]),
    ...seg(0xda, [1, 1, 0, 0, 0, 0]),
    0x01, 0x02, 0xff, 0x00,
    ...seg(0xc4, [0x10, 0xff, 0xd9]),
    ...seg(0xda, [1, 1, 0, 1, 63, 0]),
    0x03, 0xff, 0xd1, 0x04,
    0xff, 0xd9,
  ]);
}

function split(chunks: Buffer[], maxFrameBytes?: number): { frames: Buffer[]; splitter: JpegSplitter } {
  const frames: Buffer[] = [];
  const splitter = new JpegSplitter((frame) => frames.push(Buffer.from(frame)), maxFrameBytes);
  for (const chunk of chunks) splitter.push(chunk);
  return { frames, splitter };
}

const bytewise = (data: Buffer): Buffer[] => Array.from(data, (byte) => Buffer.from([byte]));

let real: Buffer[] = [];
beforeAll(() => {
  // Real encoder output (three different frames) from ffmpeg, as the camera sources deliver it.
  const result = spawnSync('/usr/bin/ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'lavfi', '-i', 'testsrc2=size=96x64:rate=5', '-frames:v', '3', '-c:v', 'mjpeg', '-q:v', '4', '-pix_fmt', 'yuvj420p', '-f', 'mjpeg', 'pipe:1']);
  expect(result.status).toBe(0);
  const stream = result.stdout;
  const starts: number[] = [];
  for (let i = 0; i < stream.length - 1; i += 1) if (stream[i] === 0xff && stream[i + 1] === 0xd8 && (i === 0 || stream[i - 1] === 0xd9)) starts.push(i);
  real = starts.map((start, k) => stream.subarray(start, starts[k + 1] ?? stream.length));
  expect(real).toHaveLength(3);
});

describe('JpegSplitter', () => {
  it('emits a frame that lies in one chunk as a view of that chunk (no copy)', () => {
    const jpeg = real[0] as Buffer;
    const chunk = Buffer.concat([Buffer.from('junk'), jpeg, Buffer.from([0, 1])]);
    const seen: Buffer[] = [];
    new JpegSplitter((frame) => seen.push(frame)).push(chunk);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.equals(jpeg)).toBe(true);
    expect(seen[0]?.buffer).toBe(chunk.buffer);
  });

  it('finds a real JPEG split at every possible point', () => {
    const jpeg = real[1] as Buffer;
    for (let at = 0; at <= jpeg.length; at += 1) {
      const { frames } = split([jpeg.subarray(0, at), jpeg.subarray(at)]);
      expect(frames, `split at ${at}`).toHaveLength(1);
      expect(frames[0]?.equals(jpeg), `split at ${at}`).toBe(true);
    }
  });

  it('handles a synthetic JPEG split at every point: markers inside APP1, stuffing, RST, fill bytes', () => {
    const jpeg = synthetic(0x42);
    for (let at = 0; at <= jpeg.length; at += 1) {
      for (let at2 = at; at2 <= jpeg.length; at2 += 7) {
        const { frames } = split([jpeg.subarray(0, at), jpeg.subarray(at, at2), jpeg.subarray(at2)]);
        expect(frames.map((f) => f.toString('hex')), `split at ${at}/${at2}`).toEqual([jpeg.toString('hex')]);
      }
    }
  });

  it('feeds byte by byte: several frames, garbage before, between and after', () => {
    const stream = Buffer.concat([Buffer.from([0xff, 0xd9, 0x00, 0xff]), ...real, Buffer.from([0xff, 0xff, 0xd9]), synthetic(1), progressive(), Buffer.from([0xff])]);
    const { frames } = split(bytewise(stream));
    expect(frames.map((f) => f.toString('hex'))).toEqual([...real, synthetic(1), progressive()].map((f) => f.toString('hex')));
  });

  it('emits two frames from one chunk, and a frame whose SOI straddles chunks', () => {
    const a = synthetic(1);
    const b = synthetic(2);
    const both = Buffer.concat([a, b]);
    expect(split([both]).frames).toHaveLength(2);
    const { frames } = split([both.subarray(0, a.length + 1), both.subarray(a.length + 1)]);
    expect(frames.map((f) => f.toString('hex'))).toEqual([a.toString('hex'), b.toString('hex')]);
  });

  it('keeps scanning across a segment between scans (progressive JPEG)', () => {
    const { frames } = split([progressive()]);
    expect(frames.map((f) => f.toString('hex'))).toEqual([progressive().toString('hex')]);
  });

  it('drops a truncated frame and resynchronises on the next SOI', () => {
    const jpeg = real[0] as Buffer;
    const truncatedInScan = jpeg.subarray(0, jpeg.length - 40);
    const truncatedInHeader = jpeg.subarray(0, 30);
    const { frames, splitter } = split([truncatedInScan, truncatedInHeader, real[1] as Buffer]);
    expect(frames.map((f) => f.toString('hex'))).toEqual([(real[1] as Buffer).toString('hex')]);
    expect(splitter.stats).toEqual({ frames: 1, discarded: 2 });
  });

  it('drops a frame over the size cap and carries on with the next', () => {
    const big = real[0] as Buffer;
    const small = synthetic(3);
    const { frames, splitter } = split([...bytewise(big).slice(0, 10), big.subarray(10), small], small.length + 10);
    expect(frames.map((f) => f.toString('hex'))).toEqual([small.toString('hex')]);
    expect(splitter.stats.discarded).toBe(1);
  });

  it('gives up on broken structure (no marker where one must be) and resyncs', () => {
    const broken = Buffer.from([0xff, 0xd8, 0x12, 0x34, 0xff, 0xd8]);
    const { frames } = split([broken, synthetic(4).subarray(2)]);
    expect(frames.map((f) => f.toString('hex'))).toEqual([synthetic(4).toString('hex')]);
  });

  it('splits a long stream fed in random chunk sizes', () => {
    const sequence = Array.from({ length: 30 }, (_, i) => (i % 4 === 3 ? synthetic(i) : (real[i % 3] as Buffer)));
    const stream = Buffer.concat(sequence);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const chunks: Buffer[] = [];
    for (let at = 0; at < stream.length; ) {
      const size = 1 + Math.floor(random() * 3000);
      chunks.push(stream.subarray(at, at + size));
      at += size;
    }
    const { frames } = split(chunks);
    expect(frames.map((f) => f.toString('hex'))).toEqual(sequence.map((f) => f.toString('hex')));
  });
});

describe('jpegDimensions', () => {
  it('reads width and height from SOF', () => {
    expect(jpegDimensions(real[0] as Buffer)).toEqual({ width: 96, height: 64 });
    expect(jpegDimensions(synthetic(0))).toEqual({ width: 64, height: 48 });
    expect(jpegDimensions(progressive())).toEqual({ width: 16, height: 16 });
    expect(jpegDimensions(Buffer.from([0xff, 0xd8, 0x00]))).toBeNull();
  });
});
