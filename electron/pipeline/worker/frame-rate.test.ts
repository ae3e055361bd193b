import { describe, expect, it } from 'vitest';
import { FrameRate } from './frame-rate.js';

describe('FrameRate', () => {
  it('measures over the last 2 s only', () => {
    const rate = new FrameRate();
    expect(rate.perSecond(100)).toBe(0);
    for (let i = 0; i <= 60; i += 1) rate.add(100 + i / 30); // 30 fps for 2 s
    expect(rate.perSecond(102)).toBe(30);
    for (let i = 1; i <= 20; i += 1) rate.add(102 + i / 10); // then 10 fps for 2 s
    expect(rate.perSecond(104)).toBe(10);
    expect(rate.perSecond(110)).toBe(0); // nothing recent
    rate.reset();
    expect(rate.perSecond(104)).toBe(0);
  });

  it('copes with more frames than the ring holds', () => {
    const rate = new FrameRate();
    for (let i = 0; i < 1000; i += 1) rate.add(i / 120);
    expect(rate.perSecond(999 / 120)).toBe(120);
  });
});
