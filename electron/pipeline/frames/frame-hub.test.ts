/** The latest frame per camera, its listeners, next() with its deadline, and freshness by the injected clock. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrameHub, FrameTimeoutError, type Frame } from './frame-hub.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A clock the test moves by hand. */
function manualClock(start = 1000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const jpeg = (text: string) => Buffer.from(text);

describe('FrameHub', () => {
  it('keeps the latest frame per camera, with its timestamp, arrival time and a per-camera seq', () => {
    const clock = manualClock(500);
    const hub = new FrameHub(clock.now);
    expect(hub.latest(0)).toBeUndefined();
    const a = jpeg('a');
    hub.publish(0, a, 10.5);
    clock.advance(40);
    hub.publish(1, jpeg('x'), 11);
    hub.publish(0, jpeg('b'), 12.25);
    expect(hub.latest(0)).toMatchObject({ camera: 0, timestamp: 12.25, seq: 2, receivedAt: 540 });
    expect(hub.latest(0)?.jpeg.toString()).toBe('b');
    expect(hub.latest(1)).toMatchObject({ camera: 1, seq: 1, receivedAt: 540 });
  });

  it('hands the published Buffer itself to every listener of that camera only', () => {
    const hub = new FrameHub();
    const seen: Array<[string, Frame]> = [];
    hub.subscribe(2, (frame) => seen.push(['first', frame]));
    hub.subscribe(2, (frame) => seen.push(['second', frame]));
    hub.subscribe(3, (frame) => seen.push(['other camera', frame]));
    const buffer = jpeg('picture');
    hub.publish(2, buffer, 1);
    expect(seen.map(([who]) => who)).toEqual(['first', 'second']);
    expect(seen[0]?.[1].jpeg).toBe(buffer);
    expect(seen[1]?.[1]).toBe(seen[0]?.[1]);
  });

  it('unsubscribe stops the calls and drops the count; calling it twice is harmless', () => {
    const hub = new FrameHub();
    const calls: number[] = [];
    const stopA = hub.subscribe(0, (frame) => calls.push(frame.seq));
    const stopB = hub.subscribe(0, () => undefined);
    expect(hub.subscribers(0)).toBe(2);
    hub.publish(0, jpeg('1'), 1);
    stopA();
    stopA();
    expect(hub.subscribers(0)).toBe(1);
    hub.publish(0, jpeg('2'), 2);
    expect(calls).toEqual([1]);
    stopB();
    expect(hub.subscribers(0)).toBe(0);
  });

  it('a late unsubscribe of an emptied set does not remove listeners added since', () => {
    const hub = new FrameHub();
    const stop = hub.subscribe(0, () => undefined);
    stop();
    const calls: number[] = [];
    hub.subscribe(0, (frame) => calls.push(frame.seq));
    stop();
    hub.publish(0, jpeg('x'), 1);
    expect(hub.subscribers(0)).toBe(1);
    expect(calls).toEqual([1]);
  });

  it('seq keeps counting after forget(); forget drops only the latest frame', () => {
    const hub = new FrameHub();
    hub.publish(4, jpeg('a'), 1);
    hub.publish(4, jpeg('b'), 2);
    hub.publish(5, jpeg('c'), 3);
    hub.forget(4);
    expect(hub.latest(4)).toBeUndefined();
    expect(hub.fresh(4, Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(hub.latest(5)?.seq).toBe(1);
    hub.publish(4, jpeg('d'), 4);
    expect(hub.latest(4)?.seq).toBe(3);
  });

  it('fresh() returns the latest frame up to maxAge old, and nothing after', () => {
    const clock = manualClock();
    const hub = new FrameHub(clock.now);
    expect(hub.fresh(0, 1000)).toBeUndefined();
    hub.publish(0, jpeg('a'), 1);
    clock.advance(250);
    expect(hub.fresh(0, 250)?.seq).toBe(1);
    clock.advance(1);
    expect(hub.fresh(0, 250)).toBeUndefined();
    expect(hub.fresh(0, 251)?.seq).toBe(1);
    expect(hub.latest(0)?.seq).toBe(1);
  });
});

describe('FrameHub.next', () => {
  it('resolves with the next frame, not the latest one, and unsubscribes', async () => {
    const hub = new FrameHub();
    hub.publish(0, jpeg('old'), 1);
    const next = hub.next(0, 1000);
    expect(hub.subscribers(0)).toBe(1);
    hub.publish(1, jpeg('other camera'), 2);
    hub.publish(0, jpeg('new'), 3);
    const frame = await next;
    expect([frame.camera, frame.jpeg.toString(), frame.seq]).toEqual([0, 'new', 2]);
    expect(hub.subscribers(0)).toBe(0);
  });

  it('rejects with FrameTimeoutError after its timeout and leaves no listener behind', async () => {
    vi.useFakeTimers();
    const hub = new FrameHub();
    const next = hub.next(3, 2500);
    const outcome = next.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(2499);
    hub.publish(1, jpeg('not this camera'), 1);
    expect(hub.subscribers(3)).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(FrameTimeoutError);
    expect(error).toMatchObject({ camera: 3, waitedMs: 2500, message: 'camera 3 delivered no frame within 2.5 s' });
    expect(hub.subscribers(3)).toBe(0);
    hub.publish(3, jpeg('late'), 2); // must not throw or resolve anything
  });

  it('a frame in time clears the deadline', async () => {
    vi.useFakeTimers();
    const hub = new FrameHub();
    const next = hub.next(0, 100);
    hub.publish(0, jpeg('in time'), 1);
    expect(vi.getTimerCount()).toBe(0);
    await expect(next).resolves.toMatchObject({ seq: 1 });
  });

  it('several waiters all get the same frame', async () => {
    const hub = new FrameHub();
    const waits = [hub.next(0, 1000), hub.next(0, 1000), hub.next(0, 1000)];
    hub.publish(0, jpeg('shared'), 1);
    const frames = await Promise.all(waits);
    expect(frames[1]).toBe(frames[0]);
    expect(frames[2]).toBe(frames[0]);
    expect(hub.subscribers(0)).toBe(0);
  });
});
