/**
 * Password hashing with node:crypto scrypt.
 *
 * Our own hashes: `scrypt:32768:8:1$<salt base64>$<key base64>` (16-byte random salt, 32-byte key).
 * The parameters travel with the hash so they can be raised later without breaking stored users.
 *
 * For importing a raspiCamSrv user table, Werkzeug's formats are verified too:
 * `scrypt:N:r:p$<salt>$<hex of 64 bytes>` and the older `pbkdf2:<digest>:<iterations>$<salt>$<hex>`,
 * where the salt is used as its literal (ASCII) string, not decoded.
 */
import { pbkdf2, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const SCRYPT = { N: 32768, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/*
 * Bounds on parameters read from a stored hash: a hand-edited or imported file must not be able to make a
 * login attempt allocate gigabytes or spin for minutes. Werkzeug's and our defaults are well inside.
 */
const MAX_LOG2_N = 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_PBKDF2_ITERATIONS = 10_000_000;
const PBKDF2_DIGESTS = new Set(['sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HEX = /^[0-9a-f]+$/;

/** Node's default maxmem (32 MiB) is exactly what N=32768, r=8 needs, and scrypt needs a little more. */
function scryptMaxmem(N: number, r: number, p: number): number {
  return 256 * N * r * p + 32 * 1024 * 1024;
}

function scryptAsync(password: string, salt: string | Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function pbkdf2Async(password: string, salt: string, iterations: number, keylen: number, digest: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, keylen, digest, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = SCRYPT;
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(password, salt, KEY_BYTES, { N, r, p, maxmem: scryptMaxmem(N, r, p) });
  return `scrypt:${N}:${r}:${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** A parsed stored hash: how to derive a key from a candidate password, and the key to compare with. */
interface ParsedHash {
  derive(password: string): Promise<Buffer>;
  expected: Buffer;
}

/** Strict positive decimal integer; `Number('1e3')` or `' 8'` would slip through a plain Number(). */
function positiveInt(text: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
  return Number(text);
}

function parseScrypt(params: string[], salt: string, digest: string): ParsedHash | null {
  const [nText, rText, pText] = params;
  if (params.length !== 3 || nText === undefined || rText === undefined || pText === undefined) return null;
  const N = positiveInt(nText);
  const r = positiveInt(rText);
  const p = positiveInt(pText);
  if (N === null || r === null || p === null) return null;
  // N must be a power of two above 1; bounded so a stored hash cannot exhaust memory.
  if (N < 2 || (N & (N - 1)) !== 0 || N > 2 ** MAX_LOG2_N || r > MAX_R || p > MAX_P) return null;
  const options: ScryptOptions = { N, r, p, maxmem: scryptMaxmem(N, r, p) };

  // Werkzeug: lowercase hex digest, salt used as text. Ours: base64 with padding, so never all-hex.
  if (HEX.test(digest) && digest.length % 2 === 0 && digest.length >= 32 && digest.length <= 256) {
    const expected = Buffer.from(digest, 'hex');
    return { expected, derive: (password) => scryptAsync(password, salt, expected.length, options) };
  }
  if (!BASE64.test(digest) || !BASE64.test(salt)) return null;
  const expected = Buffer.from(digest, 'base64');
  const saltBytes = Buffer.from(salt, 'base64');
  if (expected.length < 16 || saltBytes.length < 8) return null;
  return { expected, derive: (password) => scryptAsync(password, saltBytes, expected.length, options) };
}

function parsePbkdf2(params: string[], salt: string, digest: string): ParsedHash | null {
  const [hashName, iterationsText] = params;
  if (params.length !== 2 || hashName === undefined || iterationsText === undefined) return null;
  const iterations = positiveInt(iterationsText);
  if (!PBKDF2_DIGESTS.has(hashName) || iterations === null || iterations > MAX_PBKDF2_ITERATIONS) return null;
  if (!HEX.test(digest) || digest.length % 2 !== 0 || digest.length < 32) return null;
  const expected = Buffer.from(digest, 'hex');
  return { expected, derive: (password) => pbkdf2Async(password, salt, iterations, expected.length, hashName) };
}

function parseHash(encoded: string): ParsedHash | null {
  const parts = encoded.split('$');
  const [method, salt, digest] = parts;
  if (parts.length !== 3 || method === undefined || salt === undefined || digest === undefined || salt === '') return null;
  const [kind, ...params] = method.split(':');
  if (kind === 'scrypt') return parseScrypt(params, salt, digest);
  if (kind === 'pbkdf2') return parsePbkdf2(params, salt, digest);
  return null;
}

/** True when the password matches. A malformed or unsupported hash is simply "no match", never an exception. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (!parsed) return false;
  try {
    const candidate = await parsed.derive(password);
    return candidate.length === parsed.expected.length && timingSafeEqual(candidate, parsed.expected);
  } catch {
    // e.g. parameters the platform's scrypt refuses: treat like a wrong password rather than failing the login.
    return false;
  }
}
