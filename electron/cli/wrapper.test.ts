/**
 * The wrapper watch with real processes: a stand-in for npm (a node process titled as npm titles itself,
 * forwarding SIGTERM to its `sh -c` child as npm does), the shell, and the watching process.
 * The child runs the built module (`npm test` builds before the unit tests run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findWrapper } from './wrapper.js';

const BUILT = fileURLToPath(new URL('../../out/electron/cli/wrapper.js', import.meta.url));

let dir: string;
const started: ChildProcess[] = [];
beforeAll(() => {
  if (!existsSync(BUILT)) throw new Error('run `npm run build:core` first: the watching child runs the built module');
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-wrapper-'));
});
afterEach(async () => {
  for (const child of started.splice(0)) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL'); // the whole chain: it runs in the fake npm's process group
    } catch {
      // all gone already
    }
  }
  await rm(dir, { recursive: true, force: true });
});

/**
 * Starts "npm" → sh -c → [middle node →] watcher. The watcher prints "watching <json>" once it looks, and
 * "gone: <why>" when the watch fires. Returns the fake npm and a reader of the watcher's output.
 */
async function chain(options: { middle: boolean }): Promise<{ npm: ChildProcess; output: () => string; until: (text: string) => Promise<void> }> {
  const watcher = join(dir, 'watcher.mjs');
  await writeFile(
    watcher,
    [
      `import { findWrapper, watchWrapper } from ${JSON.stringify(BUILT)};`,
      'const wrapper = findWrapper();',
      "console.log('watching ' + JSON.stringify(wrapper));",
      "if (wrapper) watchWrapper(wrapper, (why) => { console.log('gone: ' + why); process.exit(0); }, 50);",
      'setTimeout(() => process.exit(3), 20000);',
    ].join('\n'),
  );
  const middle = join(dir, 'middle.mjs');
  // Like build/start.mjs: a node process between the shell and serve.
  await writeFile(middle, `import { spawn } from 'node:child_process';\nspawn(process.execPath, [${JSON.stringify(watcher)}], { stdio: 'inherit' });\n`);
  const script = options.middle ? middle : watcher;
  const fakeNpm = join(dir, 'npm.mjs');
  await writeFile(
    fakeNpm,
    [
      "import { spawn } from 'node:child_process';",
      "process.title = 'npm exec campanel serve';",
      `const child = spawn('sh', ['-c', ${JSON.stringify(`'${process.execPath}' '${script}'`)}], { stdio: 'inherit', env: { ...process.env, npm_lifecycle_event: 'npx' } });`,
      // npm's signal manager: pass SIGTERM to the child, exit when it has.
      "process.on('SIGTERM', () => child.kill('SIGTERM'));",
      "child.on('exit', () => process.exit(1));",
    ].join('\n'),
  );
  const npm = spawn(process.execPath, [fakeNpm], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  started.push(npm);
  let output = '';
  const waiters: Array<() => void> = [];
  npm.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    waiters.splice(0).forEach((wake) => wake());
  });
  const until = async (text: string) => {
    const deadline = Date.now() + 10_000;
    while (!output.includes(text)) {
      if (Date.now() > deadline) throw new Error(`no "${text}" in:\n${output}`);
      await new Promise<void>((wake) => {
        waiters.push(wake);
        setTimeout(wake, 100);
      });
    }
  };
  return { npm, output: () => output, until };
}

describe('findWrapper', () => {
  it('watches nothing when npm did not start the process (systemd, a supervisor, a shell)', () => {
    expect(findWrapper({ PATH: '/usr/bin' })).toBeNull();
  });
});

describe('watchWrapper', () => {
  it('fires when npm passes SIGTERM to its shell only and the shell dies (npx campanel serve)', async () => {
    const { npm, output, until } = await chain({ middle: false });
    await until('watching {');
    expect(output()).toMatch(/"npm":\{"pid":\d+/);
    npm.kill('SIGTERM');
    await until('gone: its parent process');
  });

  it('fires when npm is gone though the parent lives on (npm start → node build/start.mjs → serve)', async () => {
    const { npm, until } = await chain({ middle: true });
    await until('watching {');
    npm.kill('SIGKILL');
    await until(`gone: npm (pid ${npm.pid}), which started it, ended`);
  });
});
