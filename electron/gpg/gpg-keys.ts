/**
 * The GnuPG keys GET /system/gpgkeys lists: every key with a secret part in CamPanel's GnuPG home, as
 * `{ <16-hex long key id>: { armor: <public key block>, fingerprint } }` like privacyIDEA. Only public keys
 * are ever exported (`--export`, and the armor is checked to be a public block), so no secret material leaves gpg.
 *
 * gpg runs with explicit argv (no shell), no stdin, a minimal environment (the home goes by --homedir, never
 * GNUPGHOME), a timeout that kills it and a bound on what it may write. A missing home is an empty list: it is
 * never created here. gpg 2.1+ asks gpg-agent which keys have a secret part, so listing starts the home's agent
 * when none runs: with --no-autostart gpg 2.2 silently lists nothing. stopGpgAgent ends it again.
 */
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

export interface GpgKeyInfo {
  /** The public key as an ASCII-armored block. */
  armor: string;
  /** 40 hex digits (64 for v5 keys), upper case as gpg prints it. */
  fingerprint: string;
}

export interface GpgOptions {
  /** The gpg program (default `gpg` from PATH). */
  gpgPath?: string;
  /** The gpgconf program, for stopGpgAgent (default `gpgconf` from PATH). */
  gpgconfPath?: string;
  /** Per gpg call; default 10 s. */
  timeoutMs?: number;
  /** What one gpg call may write to stdout; default 1 MiB. */
  maxOutputBytes?: number;
}

/** missing: gpg is not installed; timeout / tooLarge: a call was killed; failed: gpg refused (its own words follow). */
export type GpgFailure = 'missing' | 'timeout' | 'tooLarge' | 'failed';

export class GpgError extends Error {
  constructor(
    readonly reason: GpgFailure,
    message: string,
  ) {
    super(message);
    this.name = 'GpgError';
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
/** One gpg process per key: a home with more keys than this is not CamPanel's. */
export const MAX_SECRET_KEYS = 64;

/** CamPanel's GnuPG home: `<dataDir>/gpg`. */
export function defaultGnupgHome(dataDir: string): string {
  return join(dataDir, 'gpg');
}

/** The keys with a secret part in `gnupgHome` (an absolute path); {} when the directory does not exist. */
export async function listSecretKeys(gnupgHome: string, options: GpgOptions = {}): Promise<Record<string, GpgKeyInfo>> {
  if (!(await homeExists(gnupgHome))) return {};
  const gpg = options.gpgPath ?? 'gpg';
  const common = ['--homedir', gnupgHome, '--batch', '--no-tty', '--no-auto-check-trustdb'];
  const listing = await runGpg(gpg, [...common, '--with-colons', '--list-secret-keys'], options);
  const keys = parseSecretKeyListing(listing);
  if (keys.length > MAX_SECRET_KEYS) {
    throw new GpgError('tooLarge', `The GnuPG home ${gnupgHome} holds ${keys.length} secret keys; at most ${MAX_SECRET_KEYS} are listed.`);
  }
  const result: Record<string, GpgKeyInfo> = {};
  // One at a time: a Pi should not run a gpg per key at once.
  for (const { keyId, fingerprint } of keys) {
    const armor = await runGpg(gpg, [...common, '--armor', '--export', '--', fingerprint], options);
    // Empty: the key was deleted since the listing.
    if (armor.trim() === '') continue;
    if (!armor.startsWith('-----BEGIN PGP PUBLIC KEY BLOCK-----') || armor.includes('PRIVATE KEY')) {
      throw new GpgError('failed', `gpg did not export key ${keyId} as a public key block; nothing is listed.`);
    }
    result[keyId] = { armor, fingerprint };
  }
  return result;
}

/** Ends the gpg-agent that listing started for `gnupgHome` (nothing to do when the home does not exist). */
export async function stopGpgAgent(gnupgHome: string, options: GpgOptions = {}): Promise<void> {
  if (!(await homeExists(gnupgHome))) return;
  await runGpg(options.gpgconfPath ?? 'gpgconf', ['--homedir', gnupgHome, '--kill', 'gpg-agent'], options);
}

/**
 * The primary keys of a `--with-colons --list-secret-keys` listing: each `sec` record's long key id (field 5)
 * and the `fpr` record that follows it (before any `ssb`, whose fingerprints are the subkeys').
 */
export function parseSecretKeyListing(colons: string): Array<{ keyId: string; fingerprint: string }> {
  const keys: Array<{ keyId: string; fingerprint: string }> = [];
  let pending: string | null = null;
  for (const line of colons.split('\n')) {
    const fields = line.trimEnd().split(':');
    const [record] = fields;
    if (record === 'sec') {
      pending = /^[0-9A-F]{16}$/.test(fields[4] ?? '') ? (fields[4] ?? null) : null;
    } else if (record === 'fpr' && pending) {
      const fingerprint = fields[9] ?? '';
      if (/^(?:[0-9A-F]{40}|[0-9A-F]{64})$/.test(fingerprint) && !keys.some((key) => key.keyId === pending)) {
        keys.push({ keyId: pending, fingerprint });
      }
      pending = null;
    } else if (record === 'ssb' || record === 'pub') {
      pending = null;
    }
  }
  return keys;
}

async function homeExists(gnupgHome: string): Promise<boolean> {
  if (!isAbsolute(gnupgHome)) throw new GpgError('failed', `The GnuPG home must be an absolute path, not "${gnupgHome}".`);
  try {
    const info = await stat(gnupgHome);
    if (!info.isDirectory()) throw new GpgError('failed', `The GnuPG home ${gnupgHome} is not a directory.`);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw error;
  }
}

/** gpg's environment: enough to find its helpers, and C messages; no GNUPGHOME, no agent info from ours. */
function gpgEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };
}

function runGpg(program: string, args: string[], options: GpgOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], env: gpgEnv(), shell: false });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = '';
    let failure: GpgError | null = null;
    const stop = (error: GpgError) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(new GpgError('timeout', `${program} took longer than ${timeoutMs / 1000} s and was stopped.`)), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) return stop(new GpgError('tooLarge', `${program} wrote more than ${maxBytes} bytes and was stopped.`));
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ENOENT') {
        reject(new GpgError('missing', `GnuPG is not installed (no "${program}" program): run \`npm run setup\` or \`sudo apt-get install gpg\`.`));
      } else {
        reject(new GpgError('failed', `${program} could not be started: ${error.message}`));
      }
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      if (code !== 0) {
        const lastWords = stderr.trim().split('\n').pop() ?? '';
        return reject(new GpgError('failed', `${program} failed (exit ${code})${lastWords ? `: ${lastWords}` : ''}`));
      }
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
