import { describe, expect, it } from 'vitest';
import { lockState, lockSummary } from './selectors';

describe('secrets lock in words', () => {
  it('names every combination the main process can report', () => {
    const table: [configured: boolean, isProtected: boolean, locked: boolean, state: string][] = [
      [false, false, false, 'notConfigured'],
      [false, true, true, 'notConfigured'],
      [true, false, false, 'notProtected'],
      [true, false, true, 'notProtected'],
      [true, true, false, 'unlocked'],
      [true, true, true, 'locked'],
    ];
    for (const [configured, isProtected, locked, state] of table) {
      expect(lockState({ configured, protected: isProtected, locked }), `${configured}/${isProtected}/${locked}`).toBe(state);
    }
  });

  it('gives each state its own label, and says why the API is inactive when locked', () => {
    const labels = new Set(
      [
        { configured: false, protected: false, locked: false },
        { configured: true, protected: false, locked: false },
        { configured: true, protected: true, locked: false },
        { configured: true, protected: true, locked: true },
      ].map((lock) => lockSummary(lock).label),
    );
    expect(labels.size).toBe(4);
    const locked = lockSummary({ configured: true, protected: true, locked: true });
    expect(locked.label).toBe('Locked');
    expect(locked.text).toMatch(/API stays inactive/);
  });
});
