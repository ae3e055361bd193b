/**
 * When each camera's source must run: while anything needs frames (stream clients, a snapshot or capture
 * in progress), and for `idleSeconds` after the last one let go; with idleSeconds 0, always. raspiCamSrv
 * stops its camera after 10 s without clients; so does CamPanel by default.
 */
export class CameraDemand {
  readonly #send: (camera: number, active: boolean) => void;
  readonly #holds = new Map<number, number>();
  readonly #streams = new Map<number, number>();
  readonly #idleTimers = new Map<number, NodeJS.Timeout>();
  readonly #active = new Set<number>();
  #idleSeconds: number;
  #cameras: number[] = [];

  constructor(send: (camera: number, active: boolean) => void, idleSeconds: number) {
    this.#send = send;
    this.#idleSeconds = idleSeconds;
  }

  /** The configured cameras and the idle timeout changed (settings). */
  configure(cameras: number[], idleSeconds: number): void {
    this.#cameras = cameras;
    this.#idleSeconds = idleSeconds;
    for (const camera of [...this.#active]) if (!cameras.includes(camera)) this.#setActive(camera, false);
    for (const camera of cameras) this.#update(camera);
  }

  /** Tell the worker again what should run (after it restarted). */
  resend(): void {
    for (const camera of this.#active) this.#send(camera, true);
  }

  /** Something needs frames until the returned function is called. */
  hold(camera: number): () => void {
    this.#holds.set(camera, (this.#holds.get(camera) ?? 0) + 1);
    this.#update(camera);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds.set(camera, (this.#holds.get(camera) ?? 1) - 1);
      this.#update(camera);
    };
  }

  streamClients(camera: number, count: number): void {
    this.#streams.set(camera, count);
    this.#update(camera);
  }

  isActive(camera: number): boolean {
    return this.#active.has(camera);
  }

  dispose(): void {
    for (const timer of this.#idleTimers.values()) clearTimeout(timer);
    this.#idleTimers.clear();
  }

  #update(camera: number): void {
    if (!this.#cameras.includes(camera)) return;
    const needed = this.#idleSeconds === 0 || (this.#holds.get(camera) ?? 0) > 0 || (this.#streams.get(camera) ?? 0) > 0;
    const timer = this.#idleTimers.get(camera);
    if (needed) {
      if (timer) clearTimeout(timer);
      this.#idleTimers.delete(camera);
      this.#setActive(camera, true);
      return;
    }
    if (!this.#active.has(camera) || timer) return;
    const idle = setTimeout(() => {
      this.#idleTimers.delete(camera);
      this.#setActive(camera, false);
    }, this.#idleSeconds * 1000);
    idle.unref();
    this.#idleTimers.set(camera, idle);
  }

  #setActive(camera: number, active: boolean): void {
    if (this.#active.has(camera) === active) return;
    if (active) this.#active.add(camera);
    else this.#active.delete(camera);
    this.#send(camera, active);
  }
}
