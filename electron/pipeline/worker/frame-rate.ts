/** Frames per second over the last ~2 s, from a fixed ring of arrival times (no allocation per frame). */
const SIZE = 256; // ≥ 2 s at 120 fps; a power of two for the index mask
const WINDOW_SECONDS = 2;

export class FrameRate {
  private readonly times = new Float64Array(SIZE);
  private count = 0;

  add(timestampSeconds: number): void {
    this.times[this.count & (SIZE - 1)] = timestampSeconds;
    this.count += 1;
  }

  reset(): void {
    this.count = 0;
  }

  /** (frames − 1) / time from the oldest to the newest frame of the window; 0 with fewer than two. */
  perSecond(nowSeconds: number): number {
    const available = Math.min(this.count, SIZE);
    let n = 0;
    let newest = 0;
    let oldest = 0;
    for (let k = 0; k < available; k += 1) {
      const t = this.times[(this.count - 1 - k) & (SIZE - 1)] as number;
      if (nowSeconds - t > WINDOW_SECONDS) break;
      if (n === 0) newest = t;
      oldest = t;
      n += 1;
    }
    return n < 2 || newest === oldest ? 0 : Math.round(((n - 1) / (newest - oldest)) * 10) / 10;
  }
}
