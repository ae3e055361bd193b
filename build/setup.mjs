#!/usr/bin/env node
/**
 * `npm run setup`: everything a new machine needs, in one command.
 * 1. System packages the tests and the camera pipeline use (chromium, ffmpeg, xvfb, wrk; python3-docutils checks
 *    documentation.rst; gpg and gpg-agent list the GnuPG keys): apt-get when root, otherwise the exact command is
 *    printed. Each is installed only when its file is missing, so a second run installs nothing.
 * 2. npm ci with the Electron download deferred, then one try to fetch the Electron binary:
 *    where that host is unreachable the Electron window is unavailable and we say so plainly.
 * 3. The build (core, preload, renderer).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const APT_PACKAGES = {
  chromium: '/usr/bin/chromium',
  ffmpeg: '/usr/bin/ffmpeg',
  xvfb: '/usr/bin/Xvfb',
  wrk: '/usr/bin/wrk',
  'python3-docutils': '/usr/bin/rst2html',
  gpg: '/usr/bin/gpg',
  // Recommended by gpg rather than required, and apt may skip recommends: gpg 2.1+ needs it to list secret keys.
  'gpg-agent': '/usr/bin/gpg-agent',
  // The mail tests make their own CA and server certificate for STARTTLS and TLS.
  openssl: '/usr/bin/openssl',
};
const say = (line) => process.stdout.write(`[setup] ${line}\n`);
const run = (command, args, options = {}) => {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  return result.status === 0;
};

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  say(`Node ${process.versions.node} is too old: CamPanel needs Node 20.19 or newer.`);
  process.exit(1);
}

const missing = Object.entries(APT_PACKAGES).filter(([, binary]) => !existsSync(binary)).map(([name]) => name);
if (missing.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    say(`installing system packages: ${missing.join(', ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (!run('apt-get', ['update', '-qq'], { env }) || !run('apt-get', ['install', '-y', '-qq', ...missing], { env })) {
      say(`apt-get failed; run as root: ${command}`);
      process.exit(1);
    }
  } else {
    say(`missing system packages: ${missing.join(', ')}. Install them with:\n    sudo ${command}`);
  }
} else {
  say(`system packages present: ${Object.keys(APT_PACKAGES).join(', ')}`);
}

say('installing npm packages (npm ci)');
if (!run('npm', ['ci', '--no-audit', '--no-fund'], { env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } })) {
  process.exit(1);
}

// Electron's own installer downloads the binary from its release host; give it one bounded try.
say('fetching the Electron binary (needed only for the desktop window)');
const electron = spawnSync(process.execPath, ['node_modules/electron/install.js'], {
  encoding: 'utf8',
  timeout: 120_000,
  env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
});
if (electron.status === 0 && existsSync('node_modules/electron/path.txt')) {
  say('Electron installed: `npm start` opens the desktop window.');
} else {
  const output = `${electron.stderr ?? ''}\n${electron.error?.message ?? ''}`;
  const reason =
    output.split('\n').map((line) => line.trim()).find((line) => /getaddrinfo|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|Error:/.test(line)) ??
    (electron.error ? 'timed out' : 'download failed');
  say('The Electron window is unavailable on this machine: the Electron binary could not be downloaded');
  say(`  (${reason}).`);
  say('  Everything else works: `npm start` and `npx campanel serve` run the panel in a browser.');
}

say('building');
if (!run('npm', ['run', 'build'])) process.exit(1);
say('done. Run the tests with `npm test`; start with `npm start` or `npx campanel serve`.');
