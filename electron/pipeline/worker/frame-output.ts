/**
 * Frames onto the worker's stdout: 16-byte header + JPEG, as one corked write. When the main process
 * reads slower than frames come, frames are dropped until the stream drains — never queued, so what
 * the main process gets next is always a fresh frame.
 */
import type { Writable } from 'node:stream';
import { encodeFrameHeader } from '../protocol.js';

export class FrameOutput {
  private blocked = false;
  private droppedSinceDrain = 0;
  written = 0;
  dropped = 0;

  constructor(
    private readonly stream: Writable,
    private readonly log: (line: string) => void,
  ) {}

  write(camera: number, jpeg: Buffer, timestamp: number): void {
    if (this.blocked || !this.stream.writable) {
      this.dropped += 1;
      this.droppedSinceDrain += 1;
      return;
    }
    const header = encodeFrameHeader(camera, jpeg.length, timestamp);
    this.stream.cork();
    this.stream.write(header);
    const ok = this.stream.write(jpeg);
    this.stream.uncork();
    this.written += 1;
    if (ok) return;
    this.blocked = true;
    this.stream.once('drain', () => {
      this.blocked = false;
      if (this.droppedSinceDrain > 0) this.log(`stdout was full: dropped ${this.droppedSinceDrain} frames (${this.dropped} in total)`);
      this.droppedSinceDrain = 0;
    });
  }
}
