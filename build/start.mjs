#!/usr/bin/env node
/**
 * `npm start`: the Electron app where an Electron binary and a display exist; otherwise it says
 * why and runs the headless server, which prints the panel URL.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

function electronBinary() {
  const pathFile = `${root}node_modules/electron/path.txt`;
  if (!existsSync(pathFile)) return { binary: null, why: 'the Electron binary is not installed (it could not be downloaded here)' };
  const binary = `${root}node_modules/electron/dist/${readFileSync(pathFile, 'utf8').trim()}`;
  if (!existsSync(binary)) return { binary: null, why: `the Electron binary is missing at ${binary}` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { binary: null, why: 'there is no display (DISPLAY / WAYLAND_DISPLAY unset)' };
  }
  return { binary, why: null };
}

const { binary, why } = electronBinary();
const child = binary
  ? spawn(binary, [root, ...args], { stdio: 'inherit' })
  : (process.stdout.write(`CamPanel: the desktop window is unavailable: ${why}.\nStarting the headless panel instead; open the Panel URL below in a browser.\n`),
    spawn(process.execPath, [`${root}bin/campanel.js`, 'serve', ...args], { stdio: 'inherit' }));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
