import { describe, expect, it } from 'vitest';
import type { CaptureEntry } from '../../../../shared/domain';
import { cameraOptions, captureBadge, captureSummary, countText, formatDuration, formatSize, hasMore, neighbours } from './selectors';

const entry = (over: Partial<CaptureEntry>): CaptureEntry => ({
  id: 'camera_0/a.jpg',
  camera: 0,
  name: 'a.jpg',
  kind: 'photo',
  size: 2048,
  modifiedAt: '2026-11-26T12:00:00.000Z',
  durationSeconds: null,
  ...over,
});

describe('captures selectors', () => {
  it('formats durations as m:ss and h:mm:ss', () => {
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(4.6)).toBe('0:05');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBeNull();
    expect(formatDuration(Number.NaN)).toBeNull();
  });

  it('badges raw photos and videos, not photos', () => {
    expect(captureBadge(entry({ kind: 'raw' }))).toBe('RAW');
    expect(captureBadge(entry({ kind: 'video', durationSeconds: 5 }))).toBe('0:05');
    expect(captureBadge(entry({ kind: 'video', durationSeconds: null }))).toBe('Video');
    expect(captureBadge(entry({ kind: 'photo' }))).toBeNull();
  });

  it('sizes in B, KB, MB', () => {
    expect(formatSize(1023)).toBe('1023 B');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(5_300_000)).toBe('5.1 MB');
    expect(formatSize(300 * 1024 * 1024)).toBe('300 MB');
  });

  it('summarises an entry in words', () => {
    expect(captureSummary(entry({ kind: 'video', durationSeconds: 5, size: 1536, camera: 1 }))).toBe('Video · 0:05 · 1.5 KB · Camera 1');
    expect(captureSummary(entry({}))).toBe('Photo · 2 KB · Camera 0');
  });

  it('offers all cameras and each camera with captures, keeping the chosen one', () => {
    expect(cameraOptions({ cameras: [1, 0], camera: null }).map((o) => o.label)).toEqual(['All cameras', 'Camera 0', 'Camera 1']);
    expect(cameraOptions({ cameras: [0], camera: 2 }).map((o) => o.value)).toEqual(['', '0', '2']);
  });

  it('says whether there is more and how much is shown', () => {
    const items = [entry({}), entry({ id: 'camera_0/b.jpg' })];
    expect(hasMore({ items, total: 2000 })).toBe(true);
    expect(hasMore({ items, total: 2 })).toBe(false);
    expect(countText({ items, total: 2000 })).toBe('2 of 2,000 files');
    expect(countText({ items: items.slice(0, 1), total: 1 })).toBe('1 file');
  });

  it('finds the previous and next capture', () => {
    const items = ['a', 'b', 'c'].map((n) => entry({ id: `camera_0/${n}.jpg` }));
    expect(neighbours(items, 'camera_0/b.jpg')).toEqual({ previous: 'camera_0/a.jpg', next: 'camera_0/c.jpg' });
    expect(neighbours(items, 'camera_0/a.jpg')).toEqual({ previous: null, next: 'camera_0/b.jpg' });
    expect(neighbours(items, 'camera_0/x.jpg')).toEqual({ previous: null, next: null });
  });
});
