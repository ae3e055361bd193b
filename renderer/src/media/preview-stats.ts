/**
 * What the preview shows about itself: frames drawn, frames per second over the last ~2 s, and how far
 * behind the source it is (now − X-Timestamp when drawn). The latency compares the page's clock with the
 * camera machine's, so it is shown only when plausible (0–10 s): a remote browser's clock may differ.
 */
export const STATS_WINDOW_MS = 2000;
const MAX_PLAUSIBLE_LATENCY_MS = 10_000;

export interface PreviewStatsView {
  frames: number;
  /** One decimal; 0 when nothing was drawn lately. */
  fps: number;
  /** Mean over the window, whole ms; null when unknown or implausible. */
  latencyMs: number | null;
  width: number;
  height: number;
}

interface Draw {
  at: number;
  latencyMs: number | null;
}

export class PreviewStats {
  #frames = 0;
  #draws: Draw[] = [];
  #width = 0;
  #height = 0;

  /**
   * A frame was drawn. `at` is a monotonic ms clock (performance.now), `wallMs` the page's Unix clock in ms
   * (Date.now), `timestamp` the frame's X-Timestamp in Unix seconds.
   */
  drawn(at: number, wallMs: number, timestamp: number | null, width: number, height: number): void {
    this.#frames++;
    this.#width = width;
    this.#height = height;
    const latency = timestamp === null ? null : wallMs - timestamp * 1000;
    const plausible = latency !== null && latency >= 0 && latency <= MAX_PLAUSIBLE_LATENCY_MS;
    this.#draws.push({ at, latencyMs: plausible ? latency : null });
    this.#trim(at);
  }

  view(now: number): PreviewStatsView {
    this.#trim(now);
    const draws = this.#draws;
    let fps = 0;
    if (draws.length >= 2) {
      const span = draws[draws.length - 1]!.at - draws[0]!.at;
      // A stalled stream is not "15 fps" because its last frames were 15 fps: count the silence too.
      const silence = Math.max(0, now - draws[draws.length - 1]!.at - 1000);
      if (span > 0) fps = Math.round(((draws.length - 1) / (span + silence)) * 10_000) / 10;
    }
    const latencies = draws.flatMap((d) => (d.latencyMs === null ? [] : [d.latencyMs]));
    const latencyMs = latencies.length ? Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length) : null;
    return { frames: this.#frames, fps, latencyMs, width: this.#width, height: this.#height };
  }

  #trim(now: number): void {
    const from = now - STATS_WINDOW_MS;
    let drop = 0;
    while (drop < this.#draws.length && this.#draws[drop]!.at < from) drop++;
    if (drop) this.#draws.splice(0, drop);
  }
}

/** "15 fps · 80 ms behind" (latency left out when unknown). */
export function statsText(view: PreviewStatsView): string {
  const fps = `${view.fps >= 10 ? Math.round(view.fps) : view.fps} fps`;
  return view.latencyMs === null ? fps : `${fps} · ${view.latencyMs} ms behind`;
}
