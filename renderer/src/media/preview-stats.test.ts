import { describe, expect, it } from 'vitest';
import { PreviewStats, statsText } from './preview-stats';

const WALL = 1_764_150_000_000;

describe('PreviewStats', () => {
  it('counts frames and measures fps over the last two seconds', () => {
    const stats = new PreviewStats();
    for (let i = 0; i < 60; i++) stats.drawn(i * 100, WALL, null, 640, 480); // 10 fps for 6 s
    const view = stats.view(5900);
    expect(view).toMatchObject({ frames: 60, fps: 10, width: 640, height: 480, latencyMs: null });
  });

  it('follows a change of rate within the window', () => {
    const stats = new PreviewStats();
    for (let t = 0; t < 3000; t += 100) stats.drawn(t, WALL, null, 320, 240);
    for (let t = 3000; t <= 6000; t += 1000 / 30) stats.drawn(t, WALL, null, 320, 240);
    expect(stats.view(6000).fps).toBeCloseTo(30, 0);
  });

  it('falls to zero when frames stop coming', () => {
    const stats = new PreviewStats();
    for (let t = 0; t <= 1000; t += 50) stats.drawn(t, WALL, null, 320, 240);
    expect(stats.view(1000).fps).toBe(20);
    expect(stats.view(2500).fps).toBe(10); // 11 frames over 0.5 s of frames and 0.5 s of counted silence
    expect(stats.view(4000).fps).toBe(0);
  });

  it('averages the latency from the frames’ timestamps', () => {
    const stats = new PreviewStats();
    stats.drawn(0, WALL, (WALL - 80) / 1000, 320, 240);
    stats.drawn(100, WALL + 100, (WALL + 100 - 120) / 1000, 320, 240);
    expect(stats.view(100).latencyMs).toBe(100);
  });

  it('hides a latency that cannot be true (another machine’s clock)', () => {
    const ahead = new PreviewStats();
    ahead.drawn(0, WALL, (WALL + 5000) / 1000, 320, 240);
    expect(ahead.view(0).latencyMs).toBeNull();
    const far = new PreviewStats();
    far.drawn(0, WALL, (WALL - 60_000) / 1000, 320, 240);
    expect(far.view(0).latencyMs).toBeNull();
  });
});

describe('statsText', () => {
  it('says fps and, when known, how far behind', () => {
    expect(statsText({ frames: 9, fps: 14.6, latencyMs: 85, width: 1, height: 1 })).toBe('15 fps · 85 ms behind');
    expect(statsText({ frames: 9, fps: 4.5, latencyMs: null, width: 1, height: 1 })).toBe('4.5 fps');
  });
});
