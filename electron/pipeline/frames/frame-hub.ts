/**
 * The latest frame of every camera, handed to every consumer (stream clients, snapshots, the panel's
 * preview) as the same Buffer. Nobody queues frames: a consumer that is busy when a frame arrives simply
 * gets a newer one later.
 */

export interface Frame {
  readonly camera: number;
  readonly jpeg: Buffer;
  /** When the frame left the camera source: Unix seconds with microseconds. */
  readonly timestamp: number;
  /** Increases by one per frame of this camera (across source restarts). */
  readonly seq: number;
  /** performance.now() when the main process received it. */
  readonly receivedAt: number;
}

export type FrameListener = (frame: Frame) => void;

export class FrameTimeoutError extends Error {
  constructor(readonly camera: number, readonly waitedMs: number) {
    super(`camera ${camera} delivered no frame within ${Math.round(waitedMs / 100) / 10} s`);
    this.name = 'FrameTimeoutError';
  }
}

export class FrameHub {
  readonly #latest = new Map<number, Frame>();
  readonly #listeners = new Map<number, Set<FrameListener>>();
  readonly #seq = new Map<number, number>();
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  publish(camera: number, jpeg: Buffer, timestamp: number): void {
    const seq = (this.#seq.get(camera) ?? 0) + 1;
    this.#seq.set(camera, seq);
    const frame: Frame = { camera, jpeg, timestamp, seq, receivedAt: this.#now() };
    this.#latest.set(camera, frame);
    const listeners = this.#listeners.get(camera);
    if (!listeners) return;
    for (const listener of listeners) listener(frame);
  }

  latest(camera: number): Frame | undefined {
    return this.#latest.get(camera);
  }

  /** The latest frame if it arrived within maxAgeMs, else undefined. */
  fresh(camera: number, maxAgeMs: number): Frame | undefined {
    const frame = this.#latest.get(camera);
    return frame && this.#now() - frame.receivedAt <= maxAgeMs ? frame : undefined;
  }

  subscribe(camera: number, listener: FrameListener): () => void {
    let set = this.#listeners.get(camera);
    if (!set) {
      set = new Set();
      this.#listeners.set(camera, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(camera) === set) this.#listeners.delete(camera);
    };
  }

  subscribers(camera: number): number {
    return this.#listeners.get(camera)?.size ?? 0;
  }

  /** The next frame of `camera`; rejects with FrameTimeoutError after timeoutMs. */
  next(camera: number, timeoutMs: number): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const unsubscribe = this.subscribe(camera, (frame) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(frame);
      });
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new FrameTimeoutError(camera, timeoutMs));
      }, timeoutMs);
    });
  }

  /** Forget a camera's last frame (it was removed or reconfigured). */
  forget(camera: number): void {
    this.#latest.delete(camera);
  }
}
