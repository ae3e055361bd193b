/**
 * The Electron launcher against a fake utilityProcess that behaves like Electron's (see
 * test-support/fake-electron.ts), and the supervisor driving a worker through it.
 */
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PipelineSupervisor } from '../pipeline/supervisor.js';
import type { WorkerHandle } from '../pipeline/worker-handle.js';
import { createFakeUtilityProcess, type FakeUtilityProcess } from '../test-support/fake-electron.js';
import { PIPELINE_SERVICE_NAME, utilityLauncher } from './utility-launcher.js';

// Any existing file will do: the fake never runs it.
const ENTRY = fileURLToPath(import.meta.url);
const ENV = { PATH: '/usr/bin', LANG: 'C.UTF-8' };

afterEach(() => {
  vi.restoreAllMocks();
});

function launch(behaviour: Parameters<typeof createFakeUtilityProcess>[0] = {}) {
  const fake = createFakeUtilityProcess(behaviour);
  // The fake has the shape of Electron's utilityProcess, so it type-checks as one.
  const handle = utilityLauncher(fake, ENTRY)({ env: ENV });
  const child = fake.children[0];
  return { fake, handle, child };
}

function only(child: FakeUtilityProcess | undefined): FakeUtilityProcess {
  if (!child) throw new Error('nothing was forked');
  return child;
}

function collect(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    stream.on('end', () => resolve(text));
  });
}

function exitOf(handle: WorkerHandle) {
  return new Promise<{ code: number | null; signal: string | null; error?: Error }>((resolve) => handle.onExit(resolve));
}

describe('utilityLauncher', () => {
  it('forks the entry with piped output, exactly the given env and the service name', () => {
    const { child } = launch();
    expect(only(child).modulePath).toBe(ENTRY);
    expect(only(child).args).toEqual([]);
    expect(only(child).options).toEqual({ stdio: 'pipe', env: ENV, serviceName: PIPELINE_SERVICE_NAME });
  });

  it.each([false, true])('passes stdout and stderr through, streams at spawn: %s', async (streamsAtSpawn) => {
    const { handle, child: maybe } = launch({ streamsAtSpawn });
    const child = only(maybe);
    expect(child.stdout === null).toBe(streamsAtSpawn);
    const frames = collect(handle.frames);
    const stderr = collect(handle.stderr);
    child.spawn(4321);
    expect(handle.pid).toBe(4321);
    child.stdout?.write('frame-bytes');
    child.stderr?.write('a log line\n');
    await new Promise((resolve) => setImmediate(resolve));
    child.exit(0);
    expect(child.stdout).toBeNull(); // Electron drops its streams at exit …
    expect(await frames).toBe('frame-bytes'); // … ours still end, with everything in them
    expect(await stderr).toBe('a log line\n');
  });

  it('carries messages both ways and reports the exit code', async () => {
    const { handle, child: maybe } = launch();
    const child = only(maybe);
    child.spawn();
    const received: unknown[] = [];
    handle.onMessage((message) => received.push(message));
    child.receive({ type: 'ready', version: 1, pid: 1 });
    handle.send({ type: 'demand', camera: 0, active: true });
    expect(received).toEqual([{ type: 'ready', version: 1, pid: 1 }]);
    expect(child.posted).toEqual([{ type: 'demand', camera: 0, active: true }]);
    const exit = exitOf(handle);
    child.exit(3);
    expect(await exit).toEqual({ code: 3, signal: null });
    handle.send({ type: 'demand', camera: 0, active: false }); // dropped, no throw
    expect(child.posted).toHaveLength(1);
  });

  it('asks with kill() and ends with a real SIGKILL, never after the exit', () => {
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    const { handle, child: maybe } = launch({ exitOnKill: null });
    const child = only(maybe);
    child.spawn(5555);
    handle.kill('SIGTERM');
    expect(child.kills).toBe(1);
    handle.kill('SIGKILL');
    expect(kill).toHaveBeenCalledWith(5555, 'SIGKILL');
    child.exit(9);
    kill.mockClear();
    handle.kill('SIGKILL');
    handle.kill('SIGTERM');
    expect(kill).not.toHaveBeenCalled();
    expect(child.kills).toBe(1);
  });

  it('survives an Electron fatal-error event (the exit follows)', () => {
    const { child } = launch();
    expect(() => only(child).emit('error', 'FatalError', 'somewhere', '{}')).not.toThrow();
  });

  it('reports a missing entry as an exit with an error, without forking', async () => {
    const fake = createFakeUtilityProcess();
    const handle = utilityLauncher(fake, '/nonexistent/worker.js')({ env: ENV });
    expect(fake.children).toEqual([]);
    expect(await exitOf(handle)).toMatchObject({ code: null, signal: null, error: expect.objectContaining({ code: 'ENOENT' }) });
  });

  it('reports a fork that throws as an exit with an error', async () => {
    const { handle } = launch({ throwOnFork: new Error('stdio must be of the following values') });
    expect((await exitOf(handle)).error?.message).toBe('stdio must be of the following values');
  });

  it('lets the supervisor run, and stop, a worker through it', async () => {
    const fake = createFakeUtilityProcess();
    const supervisor = new PipelineSupervisor({ launcher: utilityLauncher(fake, ENTRY), env: ENV, logger: pino({ level: 'silent' }), stopGraceMs: 300 });
    supervisor.start();
    const child = only(fake.children[0]);
    child.spawn(777);
    child.receive({ type: 'ready', version: 1, pid: 777 });
    expect(supervisor.state.state).toBe('running');
    expect(supervisor.send({ type: 'demand', camera: 0, active: true })).toBe(true);
    expect(child.posted).toEqual([{ type: 'demand', camera: 0, active: true }]);
    await supervisor.stop();
    expect(child.kills).toBe(1);
    expect(supervisor.state.state).toBe('stopped');
  });
});
