import { describe, expect, it } from 'vitest';
import type { ConfigEntryView } from '../../../../shared/domain';
import { isPasswordType, revealBlockedReason, sortedEntries, sortedNodes } from './selectors';

const entry = (key: string, masked = false): ConfigEntryView => ({ key, value: masked ? null : 'v', type: masked ? 'password' : 'string', desc: '', masked });

describe('system selectors', () => {
  it('orders entries by key, upper case before lower as the bytes go, without changing the input', () => {
    const input = [entry('b'), entry('B'), entry('a.x'), entry('a')];
    expect(sortedEntries(input).map((e) => e.key)).toEqual(['B', 'a', 'a.x', 'b']);
    expect(input.map((e) => e.key)).toEqual(['b', 'B', 'a.x', 'a']);
  });

  it('knows the password type only by its exact word', () => {
    expect(isPasswordType('password')).toBe(true);
    expect(isPasswordType(' password ')).toBe(true);
    expect(isPasswordType('Password')).toBe(false);
    expect(isPasswordType('passwords')).toBe(false);
    expect(isPasswordType('')).toBe(false);
  });

  it('blocks Reveal of a masked value only while passwords are unavailable', () => {
    expect(revealBlockedReason(entry('k', true), 'Locked')).toBe('Locked');
    expect(revealBlockedReason(entry('k', true), null)).toBeNull();
    expect(revealBlockedReason(entry('k', false), 'Locked')).toBeNull();
  });

  it('orders registered nodes by name, then UUID', () => {
    const nodes = [
      { name: 'south', uuid: '2' },
      { name: 'north', uuid: '9' },
      { name: 'north', uuid: '1' },
    ];
    expect(sortedNodes(nodes)).toEqual([
      { name: 'north', uuid: '1' },
      { name: 'north', uuid: '9' },
      { name: 'south', uuid: '2' },
    ]);
  });
});
