/** When each camera's source runs: holds and stream clients, the idle timeout, configuration changes. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CameraDemand } from './camera-demand.js';

const demands: CameraDemand[] = [];

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  for (const demand of demands.splice(0)) demand.dispose();
  vi.useRealTimers();
});

/** A CameraDemand whose messages to the worker are recorded as [camera, active]. */
function makeDemand(cameras: number[], idleSeconds: number) {
  const sent: Array<[number, boolean]> = [];
  const demand = new CameraDemand((camera, active) => sent.push([camera, active]), idleSeconds);
  demands.push(demand);
  demand.configure(cameras, idleSeconds);
  return { demand, sent };
}

describe('CameraDemand', () => {
  it('starts a camera at the first need and stops it only after idleSeconds without any', () => {
    const { demand, sent } = makeDemand([0, 1], 10);
    expect(sent).toEqual([]);
    const release = demand.hold(0);
    expect(sent).toEqual([[0, true]]);
    expect(demand.isActive(0)).toBe(true);
    release();
    vi.advanceTimersByTime(9_999);
    expect(sent).toEqual([[0, true]]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([[0, true], [0, false]]);
    expect(demand.isActive(0)).toBe(false);
    expect(demand.isActive(1)).toBe(false);
  });

  it('a need during the idle wait cancels the stop, and the wait starts over after it', () => {
    const { demand, sent } = makeDemand([0], 10);
    demand.hold(0)();
    vi.advanceTimersByTime(8_000);
    const release = demand.hold(0);
    vi.advanceTimersByTime(5_000);
    release();
    vi.advanceTimersByTime(9_000);
    expect(sent).toEqual([[0, true]]);
    vi.advanceTimersByTime(1_000);
    expect(sent).toEqual([[0, true], [0, false]]);
  });

  it('holds and stream clients add up; the camera idles only when all are gone', () => {
    const { demand, sent } = makeDemand([0], 1);
    const releaseA = demand.hold(0);
    const releaseB = demand.hold(0);
    demand.streamClients(0, 2);
    releaseA();
    releaseA(); // a second call must not release B's hold
    demand.streamClients(0, 0);
    vi.advanceTimersByTime(5_000);
    expect(sent).toEqual([[0, true]]);
    releaseB();
    vi.advanceTimersByTime(999);
    expect(demand.isActive(0)).toBe(true);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([[0, true], [0, false]]);
  });

  it('stream clients alone start and keep the camera', () => {
    const { demand, sent } = makeDemand([2], 3);
    demand.streamClients(2, 1);
    vi.advanceTimersByTime(60_000);
    expect(sent).toEqual([[2, true]]);
    demand.streamClients(2, 0);
    vi.advanceTimersByTime(3_000);
    expect(sent).toEqual([[2, true], [2, false]]);
  });

  it('with idleSeconds 0 every configured camera is always on', () => {
    const { demand, sent } = makeDemand([0, 1], 0);
    expect(sent).toEqual([[0, true], [1, true]]);
    demand.hold(0)();
    demand.streamClients(1, 0);
    vi.advanceTimersByTime(3_600_000);
    expect(sent).toEqual([[0, true], [1, true]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('changing idleSeconds from 0 to N lets an unused camera go after N seconds', () => {
    const { demand, sent } = makeDemand([0], 0);
    demand.configure([0], 2);
    vi.advanceTimersByTime(1_999);
    expect(demand.isActive(0)).toBe(true);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([[0, true], [0, false]]);
  });

  it('a camera removed from the configuration is stopped at once, even while needed', () => {
    const { demand, sent } = makeDemand([0, 1], 10);
    demand.hold(0);
    demand.streamClients(1, 1);
    demand.configure([1], 10);
    expect(sent).toEqual([[0, true], [1, true], [0, false]]);
    expect(demand.isActive(0)).toBe(false);
    demand.hold(0); // not configured: nothing to start
    expect(sent).toHaveLength(3);
  });

  it('needs noted before a camera is configured take effect when it is', () => {
    const { demand, sent } = makeDemand([], 10);
    demand.streamClients(3, 1);
    expect(sent).toEqual([]);
    demand.configure([3], 10);
    expect(sent).toEqual([[3, true]]);
  });

  it('resend() repeats what is active, and only that', () => {
    const { demand, sent } = makeDemand([0, 1, 2], 10);
    demand.hold(0);
    demand.streamClients(2, 1);
    sent.length = 0;
    demand.resend();
    expect(sent).toEqual([[0, true], [2, true]]);
  });

  it('dispose() cancels pending idle timers', () => {
    const { demand, sent } = makeDemand([0], 10);
    demand.hold(0)();
    expect(vi.getTimerCount()).toBe(1);
    demand.dispose();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(20_000);
    expect(sent).toEqual([[0, true]]);
  });
});
