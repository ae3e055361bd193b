/**
 * `campanel serve` as a process among processes: the README's `npx campanel serve` stopped by a SIGTERM to
 * npx, signals at every moment of start-up and shutdown, and kill -9 again and again while it writes and
 * while it starts. What is alive is read from /proc (support/processes.ts); what is left is read from the
 * data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  descendantsOf,
  ffmpegsBelow,
  killLeftovers,
  poll,
  readProcess,
  sleep,
  waitUntilGone,
  workersOf,
  type ProcessInfo,
} from './support/processes.js';
import { CLI, REPO_ROOT, cli, freePort, freshDataDir, removeDir } from './support/serve.js';

/** What serve must never leave behind: its lock, its socket, temp files of its writes (conf's and its own). */
const LEFTOVER = /^campanel\.(lock|sock)$|\.tmp-|\.tmp$/;
const leftovers = (dataDir: string): string[] => readdirSync(dataDir).filter((name) => LEFTOVER.test(name));

interface Spawned {
  child: ChildProcess;
  /** Resolves with the Panel line once serve has started (never resolves if it does not). */
  started: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

function spawnLogged(command: string, args: string[], options: { detached?: boolean; stdin?: 'pipe' } = {}): Spawned {
  const child = spawn(command, args, { cwd: REPO_ROOT, stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
  let output = '';
  const started = new Promise<string>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const panel = /^Panel: (.*)$/m.exec(output);
      if (panel?.[1]) resolve(panel[1]);
    });
  });
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, started, exited, output: () => output };
}

const spawnServe = (dataDir: string): Spawned => spawnLogged(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--panel-port', '0']);

async function within<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function configure(args: string[], dataDir: string, input?: string): Promise<string> {
  const result = await cli([...args, '--data-dir', dataDir], input);
  expect(result.stderr, args.join(' ')).toBe('');
  expect(result.code, args.join(' ')).toBe(0);
  return result.stdout;
}

/** One request on the control socket, as `campanel user add …` sends it to the running instance. */
function control(dataDir: string, command: string, args: unknown): Promise<{ ok: boolean; output?: string; message?: string }> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(join(dataDir, 'campanel.sock'));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify({ command, args })}\n`));
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(JSON.parse(received) as { ok: boolean; output?: string; message?: string });
      } catch {
        reject(new Error(`no answer (${JSON.stringify(received)})`));
      }
    });
  });
}

const seen: ProcessInfo[] = [];
const groups = new Set<number>();
const dirs: string[] = [];
test.afterEach(async () => {
  killLeftovers(groups, seen);
  seen.length = 0;
  groups.clear();
  for (const dir of dirs.splice(0)) await removeDir(dir);
});

async function freshDir(): Promise<string> {
  const dir = await freshDataDir();
  dirs.push(dir);
  return dir;
}

test('`npx campanel serve` (the README command) stops completely on a SIGTERM to npx: serve, worker, ffmpeg, lock', async () => {
  test.setTimeout(60_000);
  const dataDir = await freshDir();
  // A small always-on test camera, so that an ffmpeg runs from the start.
  await configure(['camera', 'add', '--backend', 'testsrc', '--device', 'testsrc', '--resolution', '160x120', '--fps', '5'], dataDir);
  await configure(['camera', 'options', '--idle-timeout', '0'], dataDir);

  const npx = spawnLogged('npx', ['campanel', 'serve', '--data-dir', dataDir, '--panel-port', '0'], { detached: true });
  const npxPid = npx.child.pid ?? 0;
  groups.add(npxPid);
  await within(`npx campanel serve did not start:\n${npx.output()}`, 40_000, npx.started);

  const serve = await poll('serve below npx', 5000, () =>
    descendantsOf(npxPid).find((p) => p.cmdline.includes('serve') && p.cmdline.includes(dataDir) && p.cmdline.some((arg) => /campanel(\.js)?$/.test(arg))),
  );
  const [worker] = await poll('the pipeline worker', 10_000, () => (workersOf(serve.pid).length > 0 ? workersOf(serve.pid) : null));
  if (!worker) throw new Error('no worker');
  groups.add(worker.pgid);
  const ffmpegs = await poll('the camera ffmpeg', 15_000, () => (ffmpegsBelow(worker.pid).length > 0 ? ffmpegsBelow(worker.pid) : null));
  seen.push(serve, worker, ...ffmpegs);
  expect(existsSync(join(dataDir, 'campanel.lock'))).toBe(true);

  process.kill(npxPid, 'SIGTERM');

  expect(await waitUntilGone([serve, worker, ...ffmpegs], 8000), 'still running after SIGTERM to npx').toEqual([]);
  await poll('the lock and socket removed', 3000, () => leftovers(dataDir).length === 0).catch(() => undefined);
  expect(leftovers(dataDir)).toEqual([]);
});

test('a SIGTERM at any moment of start-up or shutdown leaves no lock, socket or temp file', async () => {
  test.setTimeout(90_000);
  const dataDir = await freshDir();
  // From the spawn: before serve has its handlers, while it takes the lock, opens the core, starts the
  // worker, the panel, the control socket (about 0.3-1.5 s here), and after.
  for (const delay of [0, 150, 300, 400, 500, 650, 800, 1100, 1600]) {
    const serve = spawnServe(dataDir);
    await sleep(delay);
    serve.child.kill('SIGTERM');
    await within(`serve did not stop (SIGTERM after ${delay} ms):\n${serve.output()}`, 15_000, serve.exited);
    expect(leftovers(dataDir), `SIGTERM after ${delay} ms:\n${serve.output()}`).toEqual([]);
  }
  // During shutdown: a second signal at once, or a little later, changes nothing.
  for (const [second, gap] of [['SIGTERM', 0], ['SIGINT', 20], ['SIGTERM', 80], ['SIGINT', 200]] as const) {
    const serve = spawnServe(dataDir);
    await within(`serve did not start:\n${serve.output()}`, 20_000, serve.started);
    serve.child.kill('SIGTERM');
    await sleep(gap);
    serve.child.kill(second);
    const exit = await within(`serve did not stop:\n${serve.output()}`, 15_000, serve.exited);
    // The late signal is ignored while serve stops. If it lands after the orderly stop has finished, while Node
    // itself is tearing down (its signal watchers already gone), the kernel's default action ends a process that
    // was exiting anyway: acceptable only then, and with nothing left behind either way.
    if (exit.signal !== null) {
      expect(exit.signal).toBe(second);
      expect(serve.output(), 'the orderly stop had finished').toMatch(/"msg":"pipeline worker stopped"/);
    } else {
      expect(exit, serve.output()).toEqual({ code: 0, signal: null });
    }
    expect(leftovers(dataDir), `${second} ${gap} ms after SIGTERM`).toEqual([]);
  }
});

test('kill -9 again and again while writing and while starting: the next start always succeeds, no acknowledged write is lost', async () => {
  test.setTimeout(120_000);
  const dataDir = await freshDir();
  const port = await freePort();
  await configure(['user', 'add', 'admin', '--admin'], dataDir, 'admin-password-1\n');
  await configure(['api', 'configure', '--secrets-file', join(dataDir, 'secrets', 'campanel.secrets'), '--host', '127.0.0.1', '--port', String(port)], dataDir);

  const ackedUsers: string[] = [];
  const ackedTokens: string[] = [];
  /** Idle timeouts in the order they were acknowledged, and the one in flight when serve was killed. */
  let lastIdle = 10;
  let inFlightIdle: number | null = null;

  for (let cycle = 0; cycle < 14; cycle++) {
    if (cycle % 5 === 4) {
      // The command line writing on its own (nothing running), killed part way.
      const name = `c${cycle}`;
      const writer = spawnLogged(process.execPath, [CLI, 'user', 'add', name, '--data-dir', dataDir], { stdin: 'pipe' });
      writer.child.stdin?.end('cli-password-1\n');
      await sleep(150 + 60 * cycle);
      writer.child.kill('SIGKILL');
      const exit = await writer.exited;
      if (exit.code === 0) ackedUsers.push(name);
      continue;
    }
    const serve = spawnServe(dataDir);
    if (cycle % 3 === 2) {
      // During start-up, at a different moment each time.
      await sleep(120 + 45 * cycle);
      serve.child.kill('SIGKILL');
      await serve.exited;
      continue;
    }
    const panel = await within(`start ${cycle} failed:\n${serve.output()}`, 20_000, Promise.race([serve.started, serve.exited.then(() => null)]));
    expect(panel, `start ${cycle} failed:\n${serve.output()}`).not.toBeNull();
    const servePid = serve.child.pid ?? 0;
    const workers = workersOf(servePid);
    seen.push(...workers);
    workers.forEach((worker) => groups.add(worker.pgid));

    // Writes through the running serve, one after another, until it is killed after a different time each cycle.
    let killed = false;
    const writing = (async () => {
      for (let k = 0; !killed; k++) {
        const user = `u${cycle}_${k}`;
        const label = `t${cycle}_${k}`;
        const idle = 11 + ((cycle * 7 + k) % 50);
        try {
          if ((await control(dataDir, 'user.add', { name: user, admin: false, password: 'user-password-1' })).ok) ackedUsers.push(user);
          if ((await control(dataDir, 'token.generate', { user: 'admin', label })).ok) ackedTokens.push(label);
          inFlightIdle = idle;
          if ((await control(dataDir, 'camera.options', { idleTimeoutSeconds: idle })).ok) lastIdle = idle;
          inFlightIdle = null;
        } catch {
          return; // the connection died with serve: that write was not acknowledged
        }
      }
    })();
    await sleep(250 + ((cycle * 137) % 600));
    killed = true;
    serve.child.kill('SIGKILL');
    await serve.exited;
    await writing;
    // The worker follows serve when its IPC channel closes, and takes its processes with it.
    expect(await waitUntilGone(workers, 5000), `worker of start ${cycle}`).toEqual([]);
  }

  // One more start: it must succeed, clean up what the kills left, and hold every acknowledged write.
  const serve = spawnServe(dataDir);
  await within(`the last start failed:\n${serve.output()}`, 20_000, serve.started);
  expect(readdirSync(dataDir).filter((name) => /\.tmp-|\.tmp$/.test(name))).toEqual([]);
  const users = (await control(dataDir, 'user.list', {})).output ?? '';
  const tokens = (await control(dataDir, 'token.list', {})).output ?? '';
  // Enough writes were acknowledged for the check below to mean something.
  expect(ackedUsers.length).toBeGreaterThanOrEqual(4);
  expect(ackedTokens.length).toBeGreaterThanOrEqual(4);
  expect(ackedUsers.filter((name) => !new RegExp(`^${name}\\s`, 'm').test(users)), 'acknowledged users missing').toEqual([]);
  expect(ackedTokens.filter((label) => !new RegExp(`\\s${label}$`, 'm').test(tokens)), 'acknowledged tokens missing').toEqual([]);
  serve.child.kill('SIGTERM');
  expect(await within('the last stop', 15_000, serve.exited)).toEqual({ code: 0, signal: null });
  expect(leftovers(dataDir)).toEqual([]);

  for (const file of ['users.json', 'tokens.json', 'settings.json']) {
    expect(() => JSON.parse(readFileSync(join(dataDir, file), 'utf8')) as unknown, file).not.toThrow();
  }
  const settings = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { camera: { idleTimeoutSeconds: number } };
  expect([lastIdle, inFlightIdle]).toContain(settings.camera.idleTimeoutSeconds);
  expect(readProcess(serve.child.pid ?? 0)).toBeNull();
});
