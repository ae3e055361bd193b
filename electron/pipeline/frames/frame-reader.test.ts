/** The worker's binary frame stream: 16-byte header + JPEG, however the pipe happens to chunk it. */
import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, MAX_FRAME_BYTES, decodeFrameHeader, encodeFrameHeader } from '../protocol.js';
import { FrameReader } from './frame-reader.js';

interface Received {
  camera: number;
  jpeg: Buffer;
  timestamp: number;
}

function collecting() {
  const frames: Received[] = [];
  const reader = new FrameReader((camera, jpeg, timestamp) => frames.push({ camera, jpeg, timestamp }));
  return { reader, frames };
}

/** A JPEG-like body whose every byte differs from its neighbours, so an off-by-one shows. */
function body(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + seed) & 0xff;
  bytes[0] = 0xff;
  bytes[1] = 0xd8;
  return bytes;
}

const frame = (camera: number, jpeg: Buffer, timestamp: number) => Buffer.concat([encodeFrameHeader(camera, jpeg.length, timestamp), jpeg]);

describe('FrameReader', () => {
  const jpegA = body(37, 1);
  const jpegB = body(5, 99);
  const stream = Buffer.concat([frame(0, jpegA, 1_700_000_000.123456), frame(3, jpegB, 1_700_000_001.5)]);

  it('emits both frames whatever byte the stream is split at', () => {
    for (let split = 0; split <= stream.length; split++) {
      const { reader, frames } = collecting();
      reader.push(stream.subarray(0, split));
      reader.push(stream.subarray(split));
      expect(frames, `split at ${split}`).toEqual([
        { camera: 0, jpeg: jpegA, timestamp: 1_700_000_000.123456 },
        { camera: 3, jpeg: jpegB, timestamp: 1_700_000_001.5 },
      ]);
      expect(reader.broken).toBeNull();
    }
  });

  it('emits every frame when the stream arrives one byte at a time', () => {
    const { reader, frames } = collecting();
    for (let i = 0; i < stream.length; i++) reader.push(stream.subarray(i, i + 1));
    expect(frames.map((f) => [f.camera, f.jpeg.toString('hex')])).toEqual([
      [0, jpegA.toString('hex')],
      [3, jpegB.toString('hex')],
    ]);
  });

  it('emits several frames from a single chunk, in order', () => {
    const { reader, frames } = collecting();
    const jpegs = [body(1, 0), body(300, 5), body(16, 9), body(2, 3)];
    reader.push(Buffer.concat(jpegs.map((jpeg, i) => frame(i, jpeg, i + 0.25))));
    expect(frames).toEqual(jpegs.map((jpeg, i) => ({ camera: i, jpeg, timestamp: i + 0.25 })));
  });

  it('hands out a Buffer holding exactly the JPEG bytes, not a view into the chunk', () => {
    const { reader, frames } = collecting();
    const chunk = Buffer.concat([frame(1, jpegA, 1), Buffer.from(encodeFrameHeader(1, 10, 2).subarray(0, 4))]);
    reader.push(chunk);
    const [first] = frames;
    expect(first?.jpeg.length).toBe(jpegA.length);
    expect(first?.jpeg.byteLength).toBe(jpegA.length);
    expect(first?.jpeg.equals(jpegA)).toBe(true);
    chunk.fill(0); // the pipe's buffer is reused: the frame must not change with it
    expect(first?.jpeg.equals(jpegA)).toBe(true);
  });

  it('a bad magic marks the reader broken and nothing after it is emitted', () => {
    const { reader, frames } = collecting();
    const bad = frame(0, jpegB, 1);
    bad[0] = 0x00;
    reader.push(Buffer.concat([frame(2, jpegA, 1), bad, frame(2, jpegA, 2)]));
    expect(frames.map((f) => f.timestamp)).toEqual([1]);
    expect(reader.broken).toMatch(/out of step/);
    reader.push(frame(2, jpegA, 3));
    expect(frames).toHaveLength(1);
  });

  it('a header announcing zero bytes breaks the stream', () => {
    const { reader, frames } = collecting();
    reader.push(encodeFrameHeader(0, 0, 1));
    reader.push(frame(0, jpegA, 2));
    expect(reader.broken).not.toBeNull();
    expect(frames).toEqual([]);
  });
});

describe('decodeFrameHeader', () => {
  it('reads back what encodeFrameHeader wrote', () => {
    const header = encodeFrameHeader(15, 123_456, 1_754_000_000.654321);
    expect(header.length).toBe(FRAME_HEADER_BYTES);
    expect([...header.subarray(0, 4)]).toEqual([0xca, 0xfe, 15, 0]);
    expect(decodeFrameHeader(header)).toEqual({ camera: 15, length: 123_456, timestamp: 1_754_000_000.654321 });
  });

  it('reads a header at an offset', () => {
    const bytes = Buffer.concat([Buffer.from([1, 2, 3]), encodeFrameHeader(2, 9, 4.5)]);
    expect(decodeFrameHeader(bytes, 3)).toEqual({ camera: 2, length: 9, timestamp: 4.5 });
  });

  it.each([
    ['zero length', encodeFrameHeader(0, 0, 1)],
    ['oversized', encodeFrameHeader(0, MAX_FRAME_BYTES + 1, 1)],
    ['wrong magic', Buffer.concat([Buffer.from([0xfe, 0xca]), encodeFrameHeader(0, 10, 1).subarray(2)])],
  ])('refuses a header with %s', (_name, header) => {
    expect(decodeFrameHeader(header)).toBeNull();
  });

  it('accepts the largest allowed frame', () => {
    expect(decodeFrameHeader(encodeFrameHeader(0, MAX_FRAME_BYTES, 1))?.length).toBe(MAX_FRAME_BYTES);
  });
});
