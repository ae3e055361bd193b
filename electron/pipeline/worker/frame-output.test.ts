import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeFrameHeader, FRAME_HEADER_BYTES } from '../protocol.js';
import { FrameOutput } from './frame-output.js';

/** A stream that holds every write until release(): a main process that does not read. */
class SlowStream extends Writable {
  chunks: Buffer[] = [];
  writes = 0;
  private pending: Array<() => void> = [];
  constructor() {
    super({ highWaterMark: 1024 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.writes += 1;
    this.chunks.push(chunk);
    this.pending.push(() => done());
  }
  override _writev(chunks: Array<{ chunk: Buffer }>, done: (error?: Error | null) => void): void {
    this.writes += 1;
    this.chunks.push(...chunks.map((c) => c.chunk));
    this.pending.push(() => done());
  }
  release(): void {
    const pending = this.pending;
    this.pending = [];
    for (const done of pending) done();
  }
}

describe('FrameOutput', () => {
  it('writes header and JPEG together, and drops (never queues) frames until the stream drains', async () => {
    const stream = new SlowStream();
    const logged: string[] = [];
    const output = new FrameOutput(stream, (line) => logged.push(line));
    const jpeg = Buffer.alloc(4000, 7);
    output.write(3, jpeg, 1700000000.123456);
    expect(stream.writes).toBe(1); // one writev: corked together
    const header = decodeFrameHeader(stream.chunks[0] as Buffer);
    expect(header).toEqual({ camera: 3, length: 4000, timestamp: 1700000000.123456 });
    expect(stream.chunks[0]?.length).toBe(FRAME_HEADER_BYTES);

    output.write(3, jpeg, 1);
    output.write(3, jpeg, 2);
    expect(output.dropped).toBe(2);
    expect(stream.writes).toBe(1);

    stream.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(logged).toEqual(['stdout was full: dropped 2 frames (2 in total)']);
    output.write(3, Buffer.alloc(10), 3);
    expect(stream.writes).toBe(2);
    expect(output.written).toBe(2);
  });
});
