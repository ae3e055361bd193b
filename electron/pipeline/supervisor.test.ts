/**
 * The supervisor against real child processes (test-fixtures/fake-worker.mjs in its modes), checked
 * down to the process table: no worker and none of its children may outlive stop(). Timing and
 * timer hygiene are checked against a scripted fake handle under fake timers.
 */
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { descendantsOf, groupMembers, isAlive, readProcess, waitUntilGone } from '../test-support/process-table.js';
import { backoffDelay } from './backoff.js';
import type { ToWorker } from './protocol.js';
import { PipelineSupervisor, type SupervisorOptions, type SupervisorState, type WorkerExit, type WorkerMessage } from './supervisor.js';
import type { WorkerHandle, WorkerLauncher } from './worker-handle.js';
import { ExitLatch, forkLauncher, minimalWorkerEnv } from './worker-launcher.js';

const FAKE_WORKER = fileURLToPath(new URL('./test-fixtures/fake-worker.mjs', import.meta.url));
const BROKEN_IMPORT = fileURLToPath(new URL('./test-fixtures/broken-import.mjs', import.meta.url));

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

const supervisors: PipelineSupervisor[] = [];
/** Every worker pid a test launched, killed in afterEach if a failing test left it behind. */
const launchedPids = new Set<number>();

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(supervisors.splice(0).map((s) => Promise.race([s.stop(), new Promise((r) => setTimeout(r, 3000))])));
  for (const pid of launchedPids) {
    // Only what is still ours: a live fake worker, or members of its process group (grandchildren).
    if (groupMembers(pid).length > 0) tryKill(-pid);
    if (readProcess(pid)?.cmdline.some((arg) => arg.includes('test-fixtures'))) tryKill(pid);
  }
  launchedPids.clear();
});

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function tracked(launcher: WorkerLauncher): WorkerLauncher {
  return (options) => {
    const handle = launcher(options);
    if (handle.pid !== undefined) launchedPids.add(handle.pid);
    return handle;
  };
}

function capture() {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}

function supervise(mode: string, options: Partial<SupervisorOptions> = {}, entry = FAKE_WORKER) {
  const { logger, lines } = capture();
  const supervisor = new PipelineSupervisor({
    launcher: tracked(forkLauncher(entry)),
    env: { ...minimalWorkerEnv(), FAKE_WORKER: mode },
    logger,
    handshakeTimeoutMs: 500,
    stopGraceMs: 300,
    backoff: { initialMs: 20, maxMs: 200 },
    maxConsecutiveFailures: 3,
    ...options,
  });
  supervisors.push(supervisor);
  const states: SupervisorState[] = [];
  const messages: WorkerMessage[] = [];
  const exits: WorkerExit[] = [];
  const ready: WorkerHandle[] = [];
  supervisor.on('state', (state) => states.push(state));
  supervisor.on('message', (message) => messages.push(message));
  supervisor.on('exit', (exit) => exits.push(exit));
  supervisor.on('ready', (handle) => ready.push(handle));
  return { supervisor, lines, states, messages, exits, ready };
}

function waitForState(supervisor: PipelineSupervisor, predicate: (state: SupervisorState) => boolean, timeoutMs = 8000): Promise<SupervisorState> {
  if (predicate(supervisor.state)) return Promise.resolve(supervisor.state);
  return new Promise((resolve, reject) => {
    const listener = (state: SupervisorState) => {
      if (!predicate(state)) return;
      clearTimeout(timer);
      supervisor.off('state', listener);
      resolve(state);
    };
    const timer = setTimeout(() => {
      supervisor.off('state', listener);
      reject(new Error(`state never matched; last: ${JSON.stringify(supervisor.state)}`));
    }, timeoutMs);
    supervisor.on('state', listener);
  });
}

const running = (s: SupervisorState) => s.state === 'running';
const failed = (s: SupervisorState) => s.state === 'failed';

async function expectNoOrphans(pids: Iterable<number>): Promise<void> {
  const all = [...pids];
  expect(await waitUntilGone(all, 2000)).toEqual([]);
  for (const pid of all) expect(groupMembers(pid).filter((p) => p.state !== 'Z')).toEqual([]);
}

const capture1: ToWorker = { type: 'capture', id: 1, camera: 0, kind: 'photo', format: 'jpg', dir: '/tmp', stem: 'a' };

describe('PipelineSupervisor with real workers', () => {
  it('runs a good worker: ready, messages both ways, a graceful stop', async () => {
    const t = supervise('good');
    t.supervisor.start();
    expect(t.supervisor.state.state).toBe('starting');
    expect(t.supervisor.send(capture1)).toBe(false); // no handshake yet
    await waitForState(t.supervisor, running);
    expect(t.ready).toHaveLength(1);
    const pid = t.ready[0]?.pid ?? -1;
    expect(isAlive(pid)).toBe(true);

    expect(t.supervisor.send(capture1)).toBe(true);
    await vi.waitFor(() => expect(t.messages).toEqual([{ type: 'result', id: 1, ok: true, path: '/tmp/a.jpg' }]));
    await vi.waitFor(() => expect(t.supervisor.state.stderr).toContain('fake worker up'));
    expect(t.lines.some((l) => l.msg === 'fake worker up' && l.worker === pid && l.level === 30)).toBe(true);

    await t.supervisor.stop();
    expect(t.supervisor.state).toMatchObject({ state: 'stopped', error: null, failedStage: null });
    expect(t.exits).toEqual([expect.objectContaining({ pid, code: 0, signal: null, expected: true })]);
    expect(t.supervisor.send(capture1)).toBe(false);
    await expectNoOrphans([pid]);
  });

  it('gives the worker only the minimal environment', async () => {
    process.env.CAMPANEL_TEST_SECRET_TOKEN = 'do-not-pass';
    try {
      const t = supervise('good', { env: { ...minimalWorkerEnv(), FAKE_WORKER: 'good' } });
      t.supervisor.start();
      await waitForState(t.supervisor, running);
      t.supervisor.send({ type: 'stopRecord', id: 7, camera: 0 });
      await vi.waitFor(() => expect(t.messages).toHaveLength(1));
      const message = t.messages[0];
      const keys = message?.type === 'result' && message.ok ? message.path.split(',') : [];
      expect(keys).toContain('FAKE_WORKER');
      expect(keys.every((key) => ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'XDG_RUNTIME_DIR', 'FAKE_WORKER'].includes(key))).toBe(true);
    } finally {
      delete process.env.CAMPANEL_TEST_SECRET_TOKEN;
    }
  });

  it('retries a worker that never says ready, then fails at the handshake', async () => {
    const t = supervise('never-ready');
    t.supervisor.start();
    const restarting = await waitForState(t.supervisor, (s) => s.state === 'restarting');
    expect(restarting).toMatchObject({ attempt: 1, error: 'the worker did not report ready within 500 ms' });
    const final = await waitForState(t.supervisor, failed);
    expect(final).toMatchObject({ failedStage: 'handshake', attempt: 3, nextTryAt: null, error: 'the worker did not report ready within 500 ms' });
    expect(t.messages).toEqual([]); // its `cameras` before ready was ignored
    expect(t.exits.map((e) => e.signal)).toEqual(['SIGKILL', 'SIGKILL', 'SIGKILL']);
    await expectNoOrphans(launchedPids);
  });

  it('backs off a worker that crashes right after ready, and gives up after the limit', async () => {
    const t = supervise('crash-after-ready');
    t.supervisor.start();
    const final = await waitForState(t.supervisor, failed);
    expect(final).toMatchObject({ attempt: 3, failedStage: null, error: 'the worker exited with code 1' });
    expect(t.ready).toHaveLength(3);
    const retries = t.states.filter((s) => s.state === 'restarting');
    expect(retries.map((s) => s.attempt)).toEqual([1, 2]);
    for (const retry of retries) expect(Date.parse(retry.nextTryAt ?? '')).not.toBeNaN();
    // No automatic try after failing.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(t.ready).toHaveLength(3);
    expect(t.supervisor.state.state).toBe('failed');
    await expectNoOrphans(launchedPids);
  });

  it('fails at the handshake with the stderr lines of a worker that crashes before ready', async () => {
    const t = supervise('crash-before-ready');
    t.supervisor.start();
    const final = await waitForState(t.supervisor, failed);
    expect(final).toMatchObject({ failedStage: 'handshake', error: 'the worker exited with code 1 before it was ready' });
    expect(final.stderr).toEqual(['fake worker: camera library missing']);
  });

  it('restart() brings a failed pipeline back with a fresh failure count', async () => {
    const t = supervise('crash-after-ready');
    t.supervisor.start();
    await waitForState(t.supervisor, failed);
    const restarted = t.supervisor.restart();
    expect(t.supervisor.state).toMatchObject({ state: 'starting', attempt: 0, error: null, failedStage: null });
    await restarted;
    await waitForState(t.supervisor, (s) => s.state === 'restarting' && s.attempt === 1);
  });

  it('restart() replaces a running worker', async () => {
    const t = supervise('good');
    t.supervisor.start();
    await waitForState(t.supervisor, running);
    const first = t.ready[0]?.pid ?? -1;
    await t.supervisor.restart();
    expect(t.exits).toEqual([expect.objectContaining({ pid: first, expected: true })]);
    await waitForState(t.supervisor, running);
    expect(t.ready[1]?.pid).not.toBe(first);
    await expectNoOrphans([first]);
  });

  it('kills a worker that ignores SIGTERM after the grace', async () => {
    const t = supervise('ignore-sigterm');
    t.supervisor.start();
    await waitForState(t.supervisor, running);
    const pid = t.ready[0]?.pid ?? -1;
    const began = Date.now();
    await t.supervisor.stop();
    expect(Date.now() - began).toBeGreaterThanOrEqual(290);
    expect(t.supervisor.state.state).toBe('stopped');
    expect(t.exits).toEqual([expect.objectContaining({ signal: 'SIGKILL', expected: true })]);
    expect(t.lines.some((l) => l.level === 40 && l.msg.includes('did not stop within 300 ms'))).toBe(true);
    await expectNoOrphans([pid]);
  });

  it('kills the grandchildren of a stuck worker with it (process group)', async () => {
    const t = supervise('grandchild');
    t.supervisor.start();
    await waitForState(t.supervisor, running);
    const pid = t.ready[0]?.pid ?? -1;
    const below = descendantsOf(pid);
    expect(below.map((p) => p.cmdline.join(' '))).toEqual(['sleep 1000']);
    await t.supervisor.stop();
    expect(t.exits[0]?.signal).toBe('SIGKILL');
    await expectNoOrphans([pid, ...below.map((p) => p.pid)]);
  });

  it('fails at spawn when the entry does not exist', async () => {
    const t = supervise('good', {}, '/nonexistent/campanel-worker.mjs');
    t.supervisor.start();
    const final = await waitForState(t.supervisor, failed);
    expect(final).toMatchObject({ failedStage: 'spawn', attempt: 3 });
    expect(final.error).toContain('/nonexistent/campanel-worker.mjs does not exist');
    expect(t.exits[0]).toMatchObject({ pid: undefined, code: null, signal: null, expected: false });
  });

  it('fails at spawn when the program cannot be loaded', async () => {
    const t = supervise('good', {}, BROKEN_IMPORT);
    t.supervisor.start();
    const final = await waitForState(t.supervisor, failed);
    expect(final.failedStage).toBe('spawn');
    expect(final.error).toBe('the worker program could not be loaded (the worker exited with code 1)');
    expect(final.stderr.join('\n')).toContain('ERR_MODULE_NOT_FOUND');
  });

  it('drops and logs (briefly) a message that fails the schema', async () => {
    const t = supervise('invalid-message');
    t.supervisor.start();
    await vi.waitFor(() => expect(t.messages).toEqual([{ type: 'cameras', cameras: [] }]));
    const warning = t.lines.find((l) => l.msg === 'invalid message from the pipeline worker dropped');
    expect(warning).toMatchObject({ level: 40, type: 'cameras', issues: ['cameras: invalid_type'] });
    expect(Math.max(...t.lines.map((l) => JSON.stringify(l).length))).toBeLessThan(2000);
  });

  it('keeps the last 20 stderr lines and rate-limits them in the log', async () => {
    const t = supervise('stderr-flood');
    t.supervisor.start();
    await vi.waitFor(() => expect(t.supervisor.state.stderr.at(-1)).toBe('flood line 4999'));
    expect(t.supervisor.state.stderr).toHaveLength(20);
    await t.supervisor.stop();
    const logged = t.lines.filter((l) => l.msg.startsWith('flood line'));
    expect(logged.length).toBeGreaterThanOrEqual(50);
    expect(logged.length).toBeLessThan(5000 / 2);
    const dropped = t.lines.filter((l) => / worker stderr lines dropped$/.test(l.msg));
    const droppedCount = dropped.reduce((sum, l) => sum + Number(l.msg.split(' ')[0]), 0);
    expect(logged.length + droppedCount).toBe(5000);
  });
});

/** A worker the test scripts by hand, for exact timing under fake timers. */
class ScriptedWorker implements WorkerHandle {
  readonly frames = new PassThrough();
  readonly stderr = new PassThrough();
  readonly sent: ToWorker[] = [];
  readonly signals: string[] = [];
  #listener: ((message: unknown) => void) | null = null;
  readonly #exit = new ExitLatch();

  constructor(
    readonly pid: number | undefined,
    private readonly exitsOn: ReadonlyArray<'SIGTERM' | 'SIGKILL'>,
  ) {}

  send(message: ToWorker): void {
    this.sent.push(message);
  }
  kill(signal: 'SIGTERM' | 'SIGKILL'): void {
    this.signals.push(signal);
    if (this.exitsOn.includes(signal)) this.exit(null, signal);
  }
  onMessage(listener: (message: unknown) => void): void {
    this.#listener = listener;
  }
  onExit(listener: (exit: { code: number | null; signal: string | null }) => void): void {
    this.#exit.on(listener);
  }
  say(message: unknown): void {
    this.#listener?.(message);
  }
  exit(code: number | null, signal: string | null = null): void {
    this.stderr.end();
    this.frames.end();
    this.#exit.fire({ code, signal });
  }
}

function scripted(exitsOn: ReadonlyArray<'SIGTERM' | 'SIGKILL'> = ['SIGTERM', 'SIGKILL'], options: Partial<SupervisorOptions> = {}) {
  const workers: ScriptedWorker[] = [];
  const { logger, lines } = capture();
  const supervisor = new PipelineSupervisor({
    launcher: () => {
      const worker = new ScriptedWorker(100_000 + workers.length, exitsOn);
      workers.push(worker);
      return worker;
    },
    env: {},
    logger,
    handshakeTimeoutMs: 500,
    stopGraceMs: 300,
    backoff: { initialMs: 100, maxMs: 1000 },
    maxConsecutiveFailures: 5,
    stableAfterMs: 10_000,
    ...options,
  });
  supervisors.push(supervisor);
  const last = () => {
    const worker = workers.at(-1);
    if (!worker) throw new Error('no worker launched');
    return worker;
  };
  return { supervisor, workers, last, lines };
}

const READY = { type: 'ready', version: 1, pid: 1 };

/** Stream 'end' events travel by process.nextTick, which fake timers leave real. */
async function flushTicks(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await new Promise((resolve) => process.nextTick(resolve));
}

describe('PipelineSupervisor timing (fake timers)', () => {
  it('computes capped exponential delays', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 60].map((n) => backoffDelay(n, { initialMs: 250, maxMs: 10_000 }))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it('schedules retries at initialMs·2^n and announces when', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const t = scripted();
    t.supervisor.start();
    for (const [attempt, delay] of [[1, 100], [2, 200], [3, 400], [4, 800]] as const) {
      t.last().exit(1);
      await flushTicks();
      const state = t.supervisor.state;
      expect(state).toMatchObject({ state: 'restarting', attempt, error: 'the worker exited with code 1 before it was ready' });
      expect(Date.parse(state.nextTryAt ?? '') - Date.now()).toBe(delay);
      const launched = t.workers.length;
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(t.workers).toHaveLength(launched);
      await vi.advanceTimersByTimeAsync(1);
      expect(t.workers).toHaveLength(launched + 1);
    }
  });

  it('forgets old failures once a worker has stayed up for stableAfterMs', async () => {
    vi.useFakeTimers();
    const t = scripted();
    t.supervisor.start();
    t.last().exit(1);
    await flushTicks();
    await vi.advanceTimersByTimeAsync(100);
    expect(t.workers).toHaveLength(2);
    t.last().say(READY);
    expect(t.supervisor.state).toMatchObject({ state: 'running', attempt: 1 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(t.supervisor.state.attempt).toBe(0);
    t.last().exit(null, 'SIGSEGV');
    await flushTicks();
    expect(t.supervisor.state).toMatchObject({ state: 'restarting', attempt: 1, error: 'the worker was killed by SIGSEGV' });
  });

  it('leaves no timer behind after stop(), whatever it was waiting for', async () => {
    vi.useFakeTimers();
    const t = scripted();
    t.supervisor.start(); // handshake timer
    await t.supervisor.stop();
    expect(vi.getTimerCount()).toBe(0);

    t.supervisor.start();
    t.last().say(READY); // stability timer
    await t.supervisor.stop();
    expect(vi.getTimerCount()).toBe(0);

    t.supervisor.start();
    t.last().exit(1);
    await flushTicks(); // now a retry timer
    expect(t.supervisor.state.state).toBe('restarting');
    await t.supervisor.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(t.supervisor.state.state).toBe('stopped');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.supervisor.state.state).toBe('stopped');
  });

  it('resolves stop() with a warning when even SIGKILL brings no exit', async () => {
    vi.useFakeTimers();
    const t = scripted([]);
    t.supervisor.start();
    t.last().say(READY);
    let stopped = false;
    const stopping = t.supervisor.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(300);
    expect(t.last().signals).toEqual(['SIGTERM', 'SIGKILL']);
    await vi.advanceTimersByTimeAsync(999);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(t.supervisor.state.state).toBe('stopped');
    expect(t.lines.some((l) => l.level === 40 && l.msg.includes('did not exit after SIGKILL'))).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends only to a ready worker, and ignores what it says before ready', async () => {
    vi.useFakeTimers();
    const t = scripted();
    const messages: WorkerMessage[] = [];
    t.supervisor.on('message', (message) => messages.push(message));
    t.supervisor.start();
    expect(t.supervisor.send(capture1)).toBe(false);
    t.last().say({ type: 'cameras', cameras: [] });
    t.last().say(READY);
    t.last().say(READY); // a second ready is not news
    t.last().say({ type: 'recordingEnded', camera: 0, path: null, reason: 'done' });
    expect(t.supervisor.send(capture1)).toBe(true);
    expect(t.last().sent).toEqual([capture1]);
    expect(messages).toEqual([{ type: 'recordingEnded', camera: 0, path: null, reason: 'done' }]);
  });

  it('reports a launcher that throws as a spawn failure', async () => {
    vi.useFakeTimers();
    const { logger } = capture();
    const supervisor = new PipelineSupervisor({
      launcher: () => {
        throw new Error('EAGAIN');
      },
      env: {},
      logger,
      maxConsecutiveFailures: 1,
    });
    supervisors.push(supervisor);
    supervisor.start();
    expect(supervisor.state).toMatchObject({ state: 'failed', failedStage: 'spawn', error: 'the worker could not be started: EAGAIN' });
  });
});

describe('forkLauncher', () => {
  it('passes no secret-looking variable, only the minimal set', () => {
    const env = minimalWorkerEnv({
      PATH: '/usr/bin',
      HOME: '/home/pi',
      LANG: 'C.UTF-8',
      CAMPANEL_JWT_SECRET_KEY: 'k',
      GITHUB_TOKEN: 't',
      DB_PASSWORD: 'p',
      NODE_OPTIONS: '--inspect',
      TZ: 'Europe/Berlin',
    });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/pi', LANG: 'C.UTF-8', TZ: 'Europe/Berlin' });
  });

  it('swallows a send after the worker has gone, and SIGKILL after exit is harmless', async () => {
    const handle = tracked(forkLauncher(FAKE_WORKER))({ env: { ...minimalWorkerEnv(), FAKE_WORKER: 'good' } });
    const exited = new Promise((resolve) => handle.onExit(resolve));
    await new Promise((resolve) => handle.onMessage(resolve)); // ready: its SIGTERM handler is installed
    handle.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(() => handle.send(capture1)).not.toThrow();
    expect(() => handle.kill('SIGKILL')).not.toThrow();
  });

  it('delivers the exit to a listener that subscribes late', async () => {
    const handle = forkLauncher('/nonexistent/x.mjs')({ env: {} });
    await new Promise((resolve) => setImmediate(resolve));
    const exit = await new Promise((resolve) => handle.onExit(resolve));
    expect(exit).toMatchObject({ code: null, signal: null, error: expect.objectContaining({ code: 'ENOENT' }) });
  });
});
