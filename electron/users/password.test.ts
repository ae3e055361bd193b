import { pbkdf2Sync, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';

/** What Werkzeug's generate_password_hash('…', 'scrypt') stores: salt used as text, 64-byte key in hex. */
function werkzeugScrypt(password: string, salt: string, n = 32768, r = 8, p = 1): string {
  const key = scryptSync(password, Buffer.from(salt, 'utf8'), 64, { N: n, r, p, maxmem: 132 * n * r * p });
  return `scrypt:${n}:${r}:${p}$${salt}$${key.toString('hex')}`;
}

describe('hashPassword', () => {
  it('produces a self-describing scrypt hash with a 16-byte salt and a 32-byte key', async () => {
    const encoded = await hashPassword('correct horse');
    const match = /^scrypt:32768:8:1\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(encoded);
    expect(match).not.toBeNull();
    expect(Buffer.from(match?.[1] ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(match?.[2] ?? '', 'base64')).toHaveLength(32);
  });

  it('salts every hash differently', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });
});

describe('verifyPassword', () => {
  it('accepts the right password and refuses a wrong one', async () => {
    const encoded = await hashPassword('correct horse ü');
    expect(await verifyPassword('correct horse ü', encoded)).toBe(true);
    expect(await verifyPassword('correct horse u', encoded)).toBe(false);
    expect(await verifyPassword('', encoded)).toBe(false);
  });

  it.each([
    '',
    'plain',
    'scrypt:32768:8:1$onlytwo',
    'scrypt:32768:8:1$a$b$c',
    'scrypt:32768:8$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    'scrypt:1000:8:1$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', // N not a power of two
    'scrypt:2147483648:8:1$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', // would exhaust memory
    'scrypt:1e3:8:1$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    'scrypt:32768:8:1$$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    'scrypt:32768:8:1$c2FsdHNhbHRzYWx0c2FsdA==$not base64!',
    'bcrypt:10$salt$hash',
    'pbkdf2:md4:1000$salt$00112233445566778899aabbccddeeff',
  ])('returns false, never throws, for the malformed hash %j', async (encoded) => {
    await expect(verifyPassword('anything', encoded)).resolves.toBe(false);
  });

  it("accepts Werkzeug's scrypt format (as raspiCamSrv stores it)", async () => {
    const encoded = werkzeugScrypt('correct horse ü', 'Zr8QJ2mNbW4xKt7P');
    expect(await verifyPassword('correct horse ü', encoded)).toBe(true);
    expect(await verifyPassword('correct horse', encoded)).toBe(false);
  });

  it('matches a Werkzeug scrypt hash computed independently with Python hashlib', async () => {
    // python3: hashlib.scrypt('correct horse ü'.encode(), salt=b'Zr8QJ2mNbW4xKt7P', n=32768, r=8, p=1, dklen=64).hex()
    const fromPython =
      'scrypt:32768:8:1$Zr8QJ2mNbW4xKt7P$2c5732a3e3caadb7f516b4a891cc11f7393b48b108cee0e56a0c162d2ad7e607' +
      'a9c8350a4691e32ce906661dd0d57b088034b04b667b0f6b254a0e1533c7b808';
    expect(fromPython).toBe(werkzeugScrypt('correct horse ü', 'Zr8QJ2mNbW4xKt7P'));
    expect(await verifyPassword('correct horse ü', fromPython)).toBe(true);
  });

  it("accepts Werkzeug's older pbkdf2 format", async () => {
    // python3: hashlib.pbkdf2_hmac('sha256', 'correct horse ü'.encode(), b'q9LmT3vXa1Bc5dEf', 1000).hex()
    const fromPython = 'pbkdf2:sha256:1000$q9LmT3vXa1Bc5dEf$df1bca141708228ea3776c6ea0d20d9fc3f6eae1666687f4c7b4477d16e50887';
    expect(fromPython.split('$')[2]).toBe(pbkdf2Sync('correct horse ü', 'q9LmT3vXa1Bc5dEf', 1000, 32, 'sha256').toString('hex'));
    expect(await verifyPassword('correct horse ü', fromPython)).toBe(true);
    expect(await verifyPassword('wrong', fromPython)).toBe(false);
  });
});
