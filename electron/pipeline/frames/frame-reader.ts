/**
 * Reads the worker's frame stream (protocol.ts): a 16-byte header, then that many JPEG bytes. Only the
 * header is looked at; each JPEG is copied once, out of the pipe's chunks into its own Buffer, which every
 * consumer then shares.
 */
import { FRAME_HEADER_BYTES, decodeFrameHeader, type FrameHeader } from '../protocol.js';

export type FrameSink = (camera: number, jpeg: Buffer, timestamp: number) => void;

export class FrameReader {
  readonly #onFrame: FrameSink;
  readonly #header = Buffer.alloc(FRAME_HEADER_BYTES);
  #headerFill = 0;
  #current: { header: FrameHeader; body: Buffer; fill: number } | null = null;
  /** Set once the stream is out of step; everything after is ignored (the worker is restarted anyway). */
  #broken: string | null = null;

  constructor(onFrame: FrameSink) {
    this.#onFrame = onFrame;
  }

  get broken(): string | null {
    return this.#broken;
  }

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && this.#broken === null) {
      if (this.#current === null) {
        const take = Math.min(FRAME_HEADER_BYTES - this.#headerFill, chunk.length - offset);
        chunk.copy(this.#header, this.#headerFill, offset, offset + take);
        this.#headerFill += take;
        offset += take;
        if (this.#headerFill < FRAME_HEADER_BYTES) return;
        this.#headerFill = 0;
        const header = decodeFrameHeader(this.#header);
        if (!header) {
          this.#broken = 'the frame stream is out of step (bad header)';
          return;
        }
        this.#current = { header, body: Buffer.allocUnsafe(header.length), fill: 0 };
        continue;
      }
      const frame = this.#current;
      const take = Math.min(frame.header.length - frame.fill, chunk.length - offset);
      chunk.copy(frame.body, frame.fill, offset, offset + take);
      frame.fill += take;
      offset += take;
      if (frame.fill === frame.header.length) {
        this.#current = null;
        this.#onFrame(frame.header.camera, frame.body, frame.header.timestamp);
      }
    }
  }
}
