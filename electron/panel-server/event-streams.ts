/**
 * The panel's server-sent event streams (`GET /events`). One listener on the core's emitter fans every
 * event out to all open streams, so the number of browser tabs never shows in the emitter's listener
 * count; the streams themselves are bounded per panel session and in total, and refused beyond that
 * (EventSource does not retry a refusal, whereas ending an older stream would make its tab reconnect).
 */
import type { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { PanelEvent } from '../../shared/contract.js';
import type { PanelSession } from '../registry/handler-registry.js';

export const STREAM_LIMITS = { perSession: 16, total: 256, keepAliveMs: 25_000 } as const;

export class EventStreams {
  private readonly streams = new Map<ServerResponse, PanelSession>();
  private keepAlive: NodeJS.Timeout | null = null;
  private readonly fanOut = (event: PanelEvent) => this.writeAll(`data: ${JSON.stringify(event)}\n\n`);

  constructor(
    private readonly events: EventEmitter,
    private readonly limits: { perSession: number; total: number; keepAliveMs: number } = STREAM_LIMITS,
  ) {}

  /** Why one more stream for `owner` is refused, or null when it may open. */
  refusal(owner: PanelSession): string | null {
    if (this.streams.size >= this.limits.total) return 'Too many open event streams';
    let owned = 0;
    for (const session of this.streams.values()) if (session === owner) owned += 1;
    return owned >= this.limits.perSession ? 'Too many open event streams for this panel session' : null;
  }

  /** Adds a stream whose head is written; it leaves when its connection closes. */
  add(owner: PanelSession, response: ServerResponse): void {
    if (this.streams.size === 0) {
      this.events.on('event', this.fanOut);
      this.keepAlive = setInterval(() => this.writeAll(': keep-alive\n\n'), this.limits.keepAliveMs);
      this.keepAlive.unref();
    }
    this.streams.set(response, owner);
    response.on('close', () => this.remove(response));
  }

  get size(): number {
    return this.streams.size;
  }

  private remove(response: ServerResponse): void {
    if (!this.streams.delete(response) || this.streams.size > 0) return;
    this.events.off('event', this.fanOut);
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = null;
  }

  private writeAll(text: string): void {
    for (const response of this.streams.keys()) if (!response.destroyed && !response.writableEnded) response.write(text);
  }
}
