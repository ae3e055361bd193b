/** Rate limit for log lines that a process outside our control (the worker's stderr) can produce at will. */

/** At most `perSecond` log lines a second; counts the rest so one line can say how many were dropped. */
export class LogBudget {
  #windowStart = Number.NEGATIVE_INFINITY;
  #used = 0;
  #dropped = 0;

  constructor(private readonly perSecond: number) {}

  /** droppedBefore: lines refused in the window that just ended, to be reported now. */
  take(now = Date.now()): { allowed: boolean; droppedBefore: number } {
    let droppedBefore = 0;
    if (now - this.#windowStart >= 1000) {
      droppedBefore = this.flush();
      this.#used = 0;
      this.#windowStart = now;
    }
    if (this.#used < this.perSecond) {
      this.#used += 1;
      return { allowed: true, droppedBefore };
    }
    this.#dropped += 1;
    return { allowed: false, droppedBefore };
  }

  /** Refused lines not reported yet (for the end of a run). */
  flush(): number {
    const dropped = this.#dropped;
    this.#dropped = 0;
    return dropped;
  }
}
