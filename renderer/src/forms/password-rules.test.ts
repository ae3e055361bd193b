import { describe, expect, it } from 'vitest';
import { PASSWORDS_DIFFER, newPasswordErrors, userNameError } from './password-rules';

describe('password rules', () => {
  it('uses the contract rules and checks the repetition', () => {
    expect(newPasswordErrors('short', 'short')).toEqual({ password: 'Password must be at least 8 characters' });
    expect(newPasswordErrors('long-enough', 'long-enougH')).toEqual({ repeat: PASSWORDS_DIFFER });
    expect(newPasswordErrors('long-enough', 'long-enough')).toEqual({});
    expect(newPasswordErrors('x', '', 'newPassword')).toHaveProperty('newPassword');
  });

  it('checks user names', () => {
    expect(userNameError('')).toBe('Name is required');
    expect(userNameError('bob smith')).toBe('Use letters, digits, dot, dash or underscore');
    expect(userNameError('bob.smith')).toBeNull();
  });
});
