import { describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_DEFAULTS } from '../../../../../shared/domain';
import { checkDefaultsForm, toDefaultsValues } from './defaults-form';

const valid = toDefaultsValues(DEFAULT_SYSTEM_DEFAULTS);

describe('defaults form', () => {
  it('round-trips the stored defaults', () => {
    expect(checkDefaultsForm(valid)).toEqual({ ok: true, defaults: DEFAULT_SYSTEM_DEFAULTS });
    expect(checkDefaultsForm({ ...valid, otpLen: '8', resetFailCount: false, maxFailCount: '0' })).toEqual({
      ok: true,
      defaults: { ...DEFAULT_SYSTEM_DEFAULTS, otpLen: 8, resetFailCount: false, maxFailCount: 0 },
    });
  });

  it('names each wrong field with the contract’s words; blank is never 0', () => {
    expect(checkDefaultsForm({ ...valid, maxFailCount: '', syncWindow: '100001', countWindow: '-1', otpLen: '7' })).toEqual({
      ok: false,
      fields: {
        maxFailCount: 'Enter a whole number',
        otpLen: 'An OTP has 6 or 8 digits',
        syncWindow: 'Must be at most 100000',
        countWindow: 'Must be 0 or more',
      },
    });
    expect(checkDefaultsForm({ ...valid, maxFailCount: '2.5' })).toEqual({ ok: false, fields: { maxFailCount: 'Enter a whole number' } });
  });
});
