import { describe, expect, it } from 'vitest';
import { StderrRing } from './stderr-ring.js';

describe('StderrRing', () => {
  it('joins lines split across chunks and keeps the last ones', () => {
    const logged: string[] = [];
    const ring = new StderrRing(3, 1000, (line) => logged.push(line));
    ring.push('one\ntw');
    ring.push('o\r\nthree\n\nfour');
    expect(ring.snapshot()).toEqual(['two', 'three', 'four']); // the unfinished line counts too
    expect(logged).toEqual(['one', 'two', 'three']);
    ring.push('\nfive\n');
    expect(ring.snapshot()).toEqual(['three', 'four', 'five']);
  });

  it('bounds line length, also of a line that never ends', () => {
    const ring = new StderrRing(20, 10);
    ring.push('x'.repeat(25));
    ring.push('y'.repeat(25));
    ring.flush();
    expect(ring.snapshot()).toEqual(['xxxxxxxxxx']);
    ring.push(`${'z'.repeat(30)}\n`);
    expect(ring.snapshot()).toEqual(['xxxxxxxxxx', 'zzzzzzzzzz']);
    ring.clear();
    expect(ring.snapshot()).toEqual([]);
  });
});
