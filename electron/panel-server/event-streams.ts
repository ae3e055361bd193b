/**
 * The panel's server-sent event streams (`GET /events`). One listener on the core's emitter fans every
 * event out to all open streams, so the number of browser tabs never shows in the emitter's listener
 * count; the streams themselves are bounded per panel session and in total, and refused beyond that
 * (EventSource does not retry a refusal, whereas ending an older stream would make its tab reconnect).
 *
 * The page's connection indicator reads this wire: `retry: 1000` at connect (EventSource comes back within a
 * second once the server does), `event: ping` every second (silence for 3 s means the server is gone), and
 * `{"topic":"closing"}` to every stream before a stop ends them (the page says so at once).
 */
import type { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { PanelEvent } from '../../shared/contract.js';
import type { PanelSession } from '../registry/handler-registry.js';

export const STREAM_LIMITS = { perSession: 16, total: 256, keepAliveMs: 1000 } as const;

/** The head of every stream: a comment, then EventSource's reconnection delay. */
export const STREAM_PREAMBLE = ': connected\nretry: 1000\n\n';
const PING = 'event: ping\ndata: {}\n\n';
const CLOSING = `data: ${JSON.stringify({ topic: 'closing' })}\n\n`;
/** How long close() lets the closing message reach the page before the connections are cut. */
const CLOSE_FLUSH_MS = 250;

export class EventStreams {
  private readonly streams = new Map<ServerResponse, PanelSession>();
  private keepAlive: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly fanOut = (event: PanelEvent) => this.writeAll(`data: ${JSON.stringify(event)}\n\n`);

  constructor(
    private readonly events: EventEmitter,
    private readonly limits: { perSession: number; total: number; keepAliveMs: number } = STREAM_LIMITS,
  ) {}

  /** Why one more stream for `owner` is refused, or null when it may open. */
  refusal(owner: PanelSession): string | null {
    if (this.closed) return 'The panel server is closing';
    if (this.streams.size >= this.limits.total) return 'Too many open event streams';
    let owned = 0;
    for (const session of this.streams.values()) if (session === owner) owned += 1;
    return owned >= this.limits.perSession ? 'Too many open event streams for this panel session' : null;
  }

  /** Adds a stream whose head is written; it leaves when its connection closes. */
  add(owner: PanelSession, response: ServerResponse): void {
    if (this.streams.size === 0) {
      this.events.on('event', this.fanOut);
      this.keepAlive = setInterval(() => this.writeAll(PING), this.limits.keepAliveMs);
      this.keepAlive.unref();
    }
    this.streams.set(response, owner);
    response.on('close', () => this.remove(response));
  }

  /** Tells every page the server is closing, ends every stream, and resolves once that is sent (or soon after). */
  async closeAll(): Promise<void> {
    this.closed = true;
    const ended: Promise<unknown>[] = [];
    for (const response of [...this.streams.keys()]) {
      if (response.destroyed || response.writableEnded) continue;
      ended.push(new Promise((resolve) => response.once('close', resolve).once('finish', resolve)));
      response.end(CLOSING);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(ended), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_FLUSH_MS)))]);
    clearTimeout(timer);
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
