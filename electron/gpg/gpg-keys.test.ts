import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProcesses } from '../test-support/process-table.js';
import { GpgError, defaultGnupgHome, listSecretKeys, parseSecretKeyListing, stopGpgAgent } from './gpg-keys.js';

const root = mkdtempSync(join(tmpdir(), 'campanel-gpg-'));
// Spaces, quotes and shell syntax in the path: gpg must get it as one argv entry, never through a shell.
const home = join(root, `home $(touch pwned) ;'q'`);
const otherHome = join(root, 'other');
const checkHome = join(root, 'check');
const homes = [home, otherHome, checkHome];

/** gpg as a test runs it directly, to set the scene; a failure says what gpg said. */
function gpg(gnupgHome: string, args: string[], input?: string): string {
  const result = spawnSync('gpg', ['--homedir', gnupgHome, '--batch', '--no-tty', ...args], { input, encoding: 'utf8', timeout: 20_000 });
  if (result.error) throw new Error(`gpg could not run (${result.error.message}): run \`npm run setup\`, which installs gpg.`);
  if (result.status !== 0) throw new Error(`gpg ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function makeKey(gnupgHome: string, uid: string): string {
  mkdirSync(gnupgHome, { mode: 0o700 });
  gpg(gnupgHome, ['--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', 'never']);
  const fpr = gpg(gnupgHome, ['--with-colons', '--list-keys']).split('\n').find((line) => line.startsWith('fpr:'));
  const fingerprint = fpr?.split(':')[9];
  if (!fingerprint) throw new Error(`no key was made in ${gnupgHome}`);
  return fingerprint;
}

/** Fake gpg programs for the failure paths: each a small sh script in the temp root. */
function fakeGpg(name: string, body: string): string {
  const path = join(root, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const agentsFor = (dir: string) =>
  listProcesses().filter((p) => p.state !== 'Z' && p.cmdline.some((arg) => arg.includes('gpg-agent')) && p.cmdline.some((arg) => arg.startsWith(dir)));

let secretFpr = '';
let publicOnlyFpr = '';

beforeAll(() => {
  secretFpr = makeKey(home, 'CamPanel Test <test@example.org>');
  publicOnlyFpr = makeKey(otherHome, 'Someone Else <else@example.org>');
  // Only the other key's public half comes into the home: it must not be listed.
  gpg(home, ['--import'], gpg(otherHome, ['--armor', '--export', publicOnlyFpr]));
  mkdirSync(checkHome, { mode: 0o700 });
});

afterAll(async () => {
  for (const dir of homes) await stopGpgAgent(dir).catch(() => undefined);
  // gpgconf asks the agent to quit; give it a moment to be gone, then make sure it is.
  for (let i = 0; i < 50 && agentsFor(root).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  const left = agentsFor(root);
  rmSync(root, { recursive: true, force: true });
  expect(left.map((p) => p.cmdline.join(' '))).toEqual([]);
});

describe('listSecretKeys with a real GnuPG home', () => {
  it('lists the key with a secret part by its long key id, with its fingerprint and public armor', async () => {
    const keys = await listSecretKeys(home);
    const keyId = secretFpr.slice(-16);
    expect(Object.keys(keys)).toEqual([keyId]);
    expect(keys[keyId]?.fingerprint).toBe(secretFpr);
    expect(keys[keyId]?.armor).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----\n[\s\S]+-----END PGP PUBLIC KEY BLOCK-----\n$/);
    expect(existsSync(join(root, 'pwned'))).toBe(false);
    expect(existsSync(join(process.cwd(), 'pwned'))).toBe(false);
  });

  it('leaves out a key whose public part alone is in the home', async () => {
    expect(gpg(home, ['--with-colons', '--list-keys'])).toContain(publicOnlyFpr);
    const keys = await listSecretKeys(home);
    expect(Object.values(keys).map((key) => key.fingerprint)).not.toContain(publicOnlyFpr);
    expect(keys[publicOnlyFpr.slice(-16)]).toBeUndefined();
  });

  it('exports no secret material: the armor imports as a public key only', async () => {
    const [key] = Object.values(await listSecretKeys(home));
    expect(key?.armor).not.toMatch(/PRIVATE/);
    gpg(checkHome, ['--import'], key?.armor);
    expect(gpg(checkHome, ['--with-colons', '--list-keys'])).toContain(secretFpr);
    expect(gpg(checkHome, ['--with-colons', '--list-secret-keys'])).not.toContain(secretFpr);
  });

  it('gives {} for a missing home without calling gpg and without creating it', async () => {
    const missing = join(root, 'missing', 'gpg');
    const noGpg = { gpgPath: join(root, 'no-such-gpg') };
    expect(await listSecretKeys(missing, noGpg)).toEqual({});
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(root, 'missing'))).toBe(false);
    // A home under a file is just as missing.
    writeFileSync(join(root, 'a-file'), 'x');
    expect(await listSecretKeys(join(root, 'a-file', 'gpg'), noGpg)).toEqual({});
  });

  it('refuses a home that is a file, or a relative path', async () => {
    writeFileSync(join(root, 'not-a-dir'), 'x');
    await expect(listSecretKeys(join(root, 'not-a-dir'))).rejects.toThrow(/is not a directory/);
    await expect(listSecretKeys('relative/gpg')).rejects.toThrow(/absolute path/);
  });

  it('defaults to <dataDir>/gpg', () => {
    expect(defaultGnupgHome('/var/lib/campanel')).toBe('/var/lib/campanel/gpg');
  });
});

describe('listSecretKeys when gpg misbehaves', () => {
  const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

  it('says plainly that gpg is missing', async () => {
    const error = await failure(listSecretKeys(checkHome, { gpgPath: join(root, 'no-such-gpg') }));
    expect(error).toBeInstanceOf(GpgError);
    expect((error as GpgError).reason).toBe('missing');
    expect((error as GpgError).message).toMatch(/GnuPG is not installed.*npm run setup/);
  });

  it('stops a gpg that hangs', async () => {
    const hanging = fakeGpg('hanging-gpg', 'exec sleep 30');
    const error = await failure(listSecretKeys(checkHome, { gpgPath: hanging, timeoutMs: 300 }));
    expect((error as GpgError).reason).toBe('timeout');
    expect(listProcesses().filter((p) => p.state !== 'Z' && p.cmdline.join(' ') === 'sleep 30' && p.ppid === process.pid)).toEqual([]);
  });

  it('stops a gpg that writes without end', async () => {
    const flooding = fakeGpg('flooding-gpg', 'exec yes "sec:u:255:22:0123456789ABCDEF:1::::::scSC:::+:::ed25519:::0:"');
    const error = await failure(listSecretKeys(checkHome, { gpgPath: flooding, maxOutputBytes: 64 * 1024 }));
    expect((error as GpgError).reason).toBe('tooLarge');
  });

  it('passes on what gpg said when it fails', async () => {
    const refusing = fakeGpg('refusing-gpg', 'echo "gpg: can\'t connect to the agent: IPC connect call failed" >&2; exit 2');
    const error = await failure(listSecretKeys(checkHome, { gpgPath: refusing }));
    expect((error as GpgError).reason).toBe('failed');
    expect((error as GpgError).message).toMatch(/exit 2.*can't connect to the agent/);
  });

  it('refuses an export that is not a public key block', async () => {
    const fpr = 'B164BF2556E3A738443D939FF9232F04586AB69E';
    const leaking = fakeGpg(
      'leaking-gpg',
      [
        'case "$*" in',
        `  *--list-secret-keys*) printf 'sec:u:255:22:${fpr.slice(-16)}:1::::::scSC:::+:::ed25519:::0:\\nfpr:::::::::${fpr}:\\n' ;;`,
        `  *--export*) printf -- '-----BEGIN PGP PRIVATE KEY BLOCK-----\\nsecret\\n-----END PGP PRIVATE KEY BLOCK-----\\n' ;;`,
        'esac',
      ].join('\n'),
    );
    const error = await failure(listSecretKeys(checkHome, { gpgPath: leaking }));
    expect((error as GpgError).reason).toBe('failed');
    expect((error as GpgError).message).not.toContain('secret\n');
  });

  it('refuses a home with more secret keys than it lists', async () => {
    const many = Array.from({ length: 65 }, (_, i) => {
      const fpr = i.toString(16).toUpperCase().padStart(40, '0');
      return `sec:u:255:22:${fpr.slice(-16)}:1::::::scSC:::+:::ed25519:::0:\\nfpr:::::::::${fpr}:\\n`;
    }).join('');
    const crowded = fakeGpg('crowded-gpg', `printf '${many}'`);
    const error = await failure(listSecretKeys(checkHome, { gpgPath: crowded }));
    expect((error as GpgError).reason).toBe('tooLarge');
  });
});

describe('parseSecretKeyListing', () => {
  it('takes each primary key’s long id and fingerprint, not the subkeys’', () => {
    const listing = [
      'sec:u:255:22:F9232F04586AB69E:1795679432:::u:::scSC:::+::ed25519:::0:',
      'fpr:::::::::B164BF2556E3A738443D939FF9232F04586AB69E:',
      'grp:::::::::F64E0591A5274C332D1BD7B7865D121797282A04:',
      'uid:u::::1795679432::8A7E6F9294B0BCC5F58229BAAE4CC8891E43205E::CamPanel Test <test@example.org>::::::::::0:',
      'ssb:u:255:18:1111111111111111:1795679432::::::e:::+::cv25519::',
      'fpr:::::::::AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:',
      'sec:e:4096:1:2222222222222222:1::::::sc:::#:::::0:',
      'fpr:::::::::BBBBBBBBBBBBBBBBBBBBBBBB2222222222222222:',
      'sec:u:255:22:not-hex-at-all!!:1::::::sc::::::::0:',
      'fpr:::::::::CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC:',
      'sec:u:255:22:3333333333333333:1::::::sc::::::::0:',
      'fpr:::::::::short:',
      '',
    ].join('\n');
    expect(parseSecretKeyListing(listing)).toEqual([
      { keyId: 'F9232F04586AB69E', fingerprint: 'B164BF2556E3A738443D939FF9232F04586AB69E' },
      { keyId: '2222222222222222', fingerprint: 'BBBBBBBBBBBBBBBBBBBBBBBB2222222222222222' },
    ]);
  });

  it('finds nothing in an empty or foreign listing', () => {
    expect(parseSecretKeyListing('')).toEqual([]);
    expect(parseSecretKeyListing('pub:u:255:22:F9232F04586AB69E:1:::\nfpr:::::::::B164BF2556E3A738443D939FF9232F04586AB69E:\n')).toEqual([]);
  });
});
