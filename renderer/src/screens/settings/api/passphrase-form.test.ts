import { describe, expect, it } from 'vitest';
import { PASSPHRASES_DIFFER, newPassphraseErrors, passphraseError } from './passphrase-form';

describe('passphrase forms', () => {
  it('wants a new passphrase of at least 12 characters, repeated exactly', () => {
    expect(newPassphraseErrors('eleven char', 'eleven char')).toEqual({ passphrase: 'Use at least 12 characters' });
    expect(newPassphraseErrors('twelve chars', 'twelve chars')).toEqual({});
    expect(newPassphraseErrors('twelve chars', 'twelve chars ')).toEqual({ repeat: PASSPHRASES_DIFFER });
    expect(newPassphraseErrors('', '')).toEqual({ passphrase: 'Enter the passphrase' });
  });

  it('takes spaces as part of the passphrase', () => {
    expect(newPassphraseErrors('   short    ', '   short    ')).toEqual({});
  });

  it('wants some passphrase to unlock or remove the protection', () => {
    expect(passphraseError('')).toBe('Enter the passphrase');
    expect(passphraseError('x')).toBeNull();
  });
});
