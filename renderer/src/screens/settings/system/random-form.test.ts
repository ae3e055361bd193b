import { describe, expect, it } from 'vitest';
import { RANDOM_LIMITS } from '../../../../../shared/domain';
import { PANEL_RANDOM_LENGTH, checkRandomForm, encodedLength } from './random-form';

describe('random key form', () => {
  it('accepts 1 to 1024 bytes and refuses the rest in the contract’s words', () => {
    expect(checkRandomForm(String(PANEL_RANDOM_LENGTH), 'hex')).toEqual({ ok: true, request: { length: 32, encoding: 'hex' } });
    expect(checkRandomForm(String(RANDOM_LIMITS.max), 'base64')).toEqual({ ok: true, request: { length: 1024, encoding: 'base64' } });
    expect(checkRandomForm('1', 'hex').ok).toBe(true);
    expect(checkRandomForm('0', 'hex')).toEqual({ ok: false, error: 'At least 1' });
    expect(checkRandomForm('1025', 'hex')).toEqual({ ok: false, error: 'At most 1024' });
    expect(checkRandomForm('', 'hex')).toEqual({ ok: false, error: 'Enter a whole number' });
  });

  it('says how long the key is once encoded', () => {
    expect(encodedLength(32, 'hex')).toBe(64);
    expect(encodedLength(20, 'hex')).toBe(40);
    expect(encodedLength(32, 'base64')).toBe(44);
    expect(encodedLength(30, 'base64')).toBe(40);
    expect(encodedLength(1, 'base64')).toBe(4);
  });
});
