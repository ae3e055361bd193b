/**
 * Keeps the camera pipeline worker running: launches it, waits for its `ready`, validates what it
 * says, restarts it with capped exponential backoff when it dies, gives up after too many failures
 * in a row (until the operator restarts it), and stops it without ever hanging or leaving orphans.
 *
 * Plain Node: the launcher decides how the process is made (child_process or Electron utilityProcess).
 * Only one worker exists at a time: a new one is launched only after the previous one has exited,
 * because camera devices can be opened by one process only.
 */
import { EventEmitter } from 'node:events';
import type { z } from 'zod';
import type { PipelineState } from '../../shared/domain.js';
import type { Logger } from '../logging/logger.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { LogBudget } from './log-budget.js';
import { fromWorkerSchema, type FromWorker, type ToWorker } from './protocol.js';
import type { WorkerHandle, WorkerLauncher } from './worker-handle.js';

/** The pipeline state without what another layer adds ('idle', the cameras). */
export type SupervisorState = Omit<PipelineState, 'state' | 'cameras' | 'activeCamera'> & {
  state: Exclude<PipelineState['state'], 'idle'>;
};

export interface SupervisorOptions {
  launcher: WorkerLauncher;
  /** The worker's whole environment (see minimalWorkerEnv). */
  env: Record<string, string>;
  logger: Logger;
  handshakeTimeoutMs?: number;
  stopGraceMs?: number;
  backoff?: Partial<BackoffOptions>;
  maxConsecutiveFailures?: number;
  /** A worker up this long counts as healthy again: its next failure starts a fresh count. */
  stableAfterMs?: number;
}

export interface WorkerExit {
  pid: number | undefined;
  code: number | null;
  signal: string | null;
  /** Why the process could not be started (or was given up on), if that is how it ended. */
  error: string | null;
  /** True when stop()/restart() ended it: no failure, no automatic restart. */
  expected: boolean;
  /** In words, for the log and the panel: "the worker exited with code 1". */
  description: string;
}

export type WorkerMessage = Exclude<FromWorker, { type: 'ready' }>;

interface SupervisorEvents {
  state: [SupervisorState];
  ready: [WorkerHandle];
  message: [WorkerMessage];
  exit: [WorkerExit];
}

/** After SIGKILL an exit normally comes within milliseconds; past this, stop() resolves anyway. */
const EXIT_AFTER_KILL_MS = 1000;
/** The exit can overtake the last stderr lines (often the crash reason): wait this long for them. */
const STDERR_DRAIN_MS = 200;
const STDERR_TAIL_LINES = 20;
const STDERR_LINE_CHARS = 1000;
const STDERR_LOG_LINES_PER_SECOND = 50;
const INVALID_MESSAGE_LOGS_PER_SECOND = 5;

/** One launched worker process, from launch to its (possibly given-up-on) exit. */
interface Run {
  readonly handle: WorkerHandle;
  /** Last pid seen: an Electron worker has one only after spawning, and none again after its exit. */
  pid: number | undefined;
  ready: boolean;
  /** Sent any control message, valid or not: a program that was loaded. */
  spoke: boolean;
  exited: boolean;
  /** stop()/restart() is ending it. */
  expected: boolean;
  terminating: boolean;
  handshakeFailure: string | null;
  readonly timers: Set<NodeJS.Timeout>;
  stderrEnded: Promise<void>;
  readonly done: Promise<void>;
  finish: () => void;
}

export class PipelineSupervisor extends EventEmitter<SupervisorEvents> {
  readonly #launcher: WorkerLauncher;
  readonly #env: Record<string, string>;
  readonly #logger: Logger;
  readonly #handshakeTimeoutMs: number;
  readonly #stopGraceMs: number;
  readonly #backoff: BackoffOptions;
  readonly #maxFailures: number;
  readonly #stableAfterMs: number;

  #state: Omit<SupervisorState, 'stderr'> = { state: 'stopped', attempt: 0, nextTryAt: null, failedStage: null, error: null };
  #stderr: string[] = [];
  #run: Run | null = null;
  #failures = 0;
  #retryTimer: NodeJS.Timeout | null = null;
  /** Bumped by start/stop/restart, so an older call resuming after an await cannot undo a newer one. */
  #generation = 0;
  readonly #stderrBudget = new LogBudget(STDERR_LOG_LINES_PER_SECOND);
  readonly #invalidBudget = new LogBudget(INVALID_MESSAGE_LOGS_PER_SECOND);

  constructor(options: SupervisorOptions) {
    super();
    this.#launcher = options.launcher;
    this.#env = options.env;
    this.#logger = options.logger;
    this.#handshakeTimeoutMs = options.handshakeTimeoutMs ?? 5000;
    this.#stopGraceMs = options.stopGraceMs ?? 3000;
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#maxFailures = options.maxConsecutiveFailures ?? 8;
    this.#stableAfterMs = options.stableAfterMs ?? 30_000;
  }

  get state(): SupervisorState {
    return { ...this.#state, stderr: [...this.#stderr] };
  }

  /** Starts supervising; a no-op while a worker is already running, starting or due for a retry. */
  start(): void {
    if (this.#retryTimer || (this.#run && !this.#run.expected)) return;
    // The current worker is being stopped: start again once it has gone.
    if (this.#run) return void this.restart();
    this.#generation += 1;
    this.#failures = 0;
    this.#launch();
  }

  /** Ends the worker (SIGTERM, then SIGKILL to its group after the grace); resolves once it has exited. */
  async stop(): Promise<void> {
    const generation = ++this.#generation;
    this.#clearRetry();
    if (this.#run) await this.#terminate(this.#run);
    if (generation !== this.#generation) return; // a later start()/restart() took over
    this.#setState({ state: 'stopped', attempt: 0, nextTryAt: null, failedStage: null, error: null });
  }

  /** The operator's "Restart pipeline": resolves once the old worker is gone and a new one launched. */
  async restart(): Promise<void> {
    const generation = ++this.#generation;
    this.#clearRetry();
    if (this.#run) {
      this.#setState({ state: 'restarting', attempt: 0, nextTryAt: null, failedStage: null, error: null });
      await this.#terminate(this.#run);
    }
    if (generation !== this.#generation) return;
    this.#failures = 0;
    this.#launch();
  }

  /** False when dropped: no worker has completed its handshake (the camera service re-sends on 'ready'). */
  send(message: ToWorker): boolean {
    const run = this.#run;
    if (!run?.ready || run.exited || run.expected) return false;
    run.handle.send(message);
    return true;
  }

  #launch(): void {
    this.#clearRetry();
    this.#stderr = [];
    this.#setState({ state: 'starting', attempt: this.#failures, nextTryAt: null, failedStage: null, error: null });
    let handle: WorkerHandle;
    try {
      handle = this.#launcher({ env: this.#env });
    } catch (error) {
      // Launchers report spawn errors as an exit; this is for one that throws anyway.
      this.#onFailure('spawn', `the worker could not be started: ${errorMessage(error)}`);
      return;
    }
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const run: Run = {
      handle,
      pid: handle.pid,
      ready: false,
      spoke: false,
      exited: false,
      expected: false,
      terminating: false,
      handshakeFailure: null,
      timers: new Set(),
      stderrEnded: Promise.resolve(),
      done,
      finish,
    };
    this.#run = run;
    // Nobody reads frames before 'ready'; an unhandled stream error would take the main process down.
    handle.frames.on('error', (error) => this.#logger.debug({ err: error }, 'pipeline worker frame stream error'));
    run.stderrEnded = this.#readStderr(run);
    handle.onMessage((message) => this.#onMessage(run, message));
    handle.onExit((exit) => {
      this.#onExit(run, exit).catch((error: unknown) => this.#logger.error({ err: error }, 'pipeline supervisor exit handling failed'));
    });
    this.#after(run, this.#handshakeTimeoutMs, () => this.#onHandshakeTimeout(run));
    this.#logger.info({ worker: pidOf(run), attempt: this.#failures }, 'pipeline worker launched');
  }

  #onMessage(run: Run, raw: unknown): void {
    if (run !== this.#run) return;
    run.spoke = true;
    const parsed = validate(raw);
    if (parsed === 'schema-broken') {
      // Our own schema threw (a bug on this side): log it rather than crash the main process.
      this.#logger.error({ worker: pidOf(run), type: messageType(raw) }, 'worker message could not be validated; dropped');
      return;
    }
    if (!parsed.success) {
      const budget = this.#invalidBudget.take();
      if (budget.droppedBefore > 0) this.#logger.warn({ worker: pidOf(run) }, `${budget.droppedBefore} invalid worker messages not logged`);
      // Never the payload itself: it may be huge (or a frame sent down the wrong channel).
      if (budget.allowed) this.#logger.warn({ worker: pidOf(run), type: messageType(raw), issues: issueSummary(parsed.error) }, 'invalid message from the pipeline worker dropped');
      return;
    }
    const message = parsed.data;
    if (message.type === 'ready') {
      if (!run.ready && !run.expected && !run.exited) this.#onReady(run);
      return;
    }
    // Before the handshake the worker has not been configured: nothing it says can be about our cameras.
    if (!run.ready) return void this.#logger.debug({ worker: pidOf(run), type: message.type }, 'worker message before ready ignored');
    this.emit('message', message);
  }

  #onReady(run: Run): void {
    run.ready = true;
    for (const timer of run.timers) clearTimeout(timer); // the handshake timer
    run.timers.clear();
    this.#after(run, this.#stableAfterMs, () => {
      this.#failures = 0;
      if (this.#run === run && this.#state.state === 'running') this.#setState({ attempt: 0 });
    });
    this.#setState({ state: 'running', nextTryAt: null, failedStage: null, error: null });
    this.#logger.info({ worker: pidOf(run) }, 'pipeline worker ready');
    this.emit('ready', run.handle);
  }

  #onHandshakeTimeout(run: Run): void {
    if (run.ready || run.exited || run.expected) return;
    run.handshakeFailure = `the worker did not report ready within ${this.#handshakeTimeoutMs} ms`;
    this.#logger.warn({ worker: pidOf(run) }, run.handshakeFailure);
    // Not configured yet, so there is nothing to stop gracefully.
    this.#kill(run, 'SIGKILL');
    this.#giveUpAfter(run, EXIT_AFTER_KILL_MS);
  }

  /** SIGTERM, SIGKILL to the group after the grace, and after that only a warning: never hangs. */
  #terminate(run: Run): Promise<void> {
    run.expected = true;
    if (!run.exited && !run.terminating) {
      run.terminating = true;
      // Armed before the signal: a launcher may report the exit synchronously from kill().
      this.#after(run, this.#stopGraceMs, () => {
        this.#logger.warn({ worker: pidOf(run) }, `pipeline worker did not stop within ${this.#stopGraceMs} ms: killing it`);
        this.#kill(run, 'SIGKILL');
        this.#giveUpAfter(run, EXIT_AFTER_KILL_MS);
      });
      this.#kill(run, 'SIGTERM');
    }
    return run.done;
  }

  #giveUpAfter(run: Run, ms: number): void {
    this.#after(run, ms, () => {
      this.#logger.warn({ worker: pidOf(run) }, 'pipeline worker did not exit after SIGKILL; giving up on it');
      void this.#onExit(run, { code: null, signal: null }, 'abandoned');
    });
  }

  /** abandoned: the process never reported its exit, even after SIGKILL; we go on without it. */
  async #onExit(run: Run, exit: { code: number | null; signal: string | null; error?: Error }, how: 'exited' | 'abandoned' = 'exited'): Promise<void> {
    if (run.exited) return; // the real exit after a give-up, or a second report
    run.exited = true;
    this.#clearRunTimers(run);
    // Lets an unread frame pipe reach its end and close, whether or not a reader was attached.
    run.handle.frames.resume();
    if (how === 'exited') await this.#atMost(run.stderrEnded, STDERR_DRAIN_MS);
    const dropped = this.#stderrBudget.flush();
    if (dropped > 0) this.#logger.info({ worker: pidOf(run) }, `${dropped} worker stderr lines dropped`);
    if (this.#run === run) this.#run = null;

    const info: WorkerExit = {
      pid: pidOf(run) ?? undefined,
      code: exit.code,
      signal: exit.signal,
      error: exit.error?.message ?? (how === 'abandoned' ? 'no exit after SIGKILL' : null),
      expected: run.expected,
      description:
        how === 'abandoned'
          ? 'the worker did not exit even after SIGKILL'
          : exit.error
            ? `the worker could not be started: ${exit.error.message}`
            : describeExit(exit.code, exit.signal),
    };
    if (!run.expected) {
      const { stage, error } = this.#classify(run, exit, info.description);
      info.description = error;
      this.#onFailure(stage, error);
    } else {
      this.#logger.info({ worker: pidOf(run), code: exit.code, signal: exit.signal }, 'pipeline worker stopped');
    }
    run.finish();
    this.emit('exit', info);
  }

  #classify(run: Run, exit: { error?: Error }, description: string): { stage: 'spawn' | 'handshake' | null; error: string } {
    if (run.handshakeFailure) return { stage: 'handshake', error: run.handshakeFailure };
    if (run.ready) return { stage: null, error: description };
    if (exit.error) return { stage: 'spawn', error: description };
    // Node prints this when the entry (or a module it imports) is missing: the program never ran.
    if (!run.spoke && this.#stderr.some((line) => /Cannot find module|ERR_MODULE_NOT_FOUND/.test(line))) {
      return { stage: 'spawn', error: `the worker program could not be loaded (${description})` };
    }
    return { stage: 'handshake', error: `${description} before it was ready` };
  }

  #onFailure(stage: 'spawn' | 'handshake' | null, error: string): void {
    this.#failures += 1;
    if (this.#failures >= this.#maxFailures) {
      this.#logger.error({ stage, failures: this.#failures, stderr: this.#stderr }, `pipeline failed: ${error}; not retrying until restarted`);
      this.#setState({ state: 'failed', attempt: this.#failures, nextTryAt: null, failedStage: stage, error });
      return;
    }
    const delay = backoffDelay(this.#failures, this.#backoff);
    this.#logger.warn({ stage, failures: this.#failures, retryInMs: delay }, `pipeline worker failed: ${error}`);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#launch();
    }, delay);
    this.#setState({
      state: 'restarting',
      attempt: this.#failures,
      nextTryAt: new Date(Date.now() + delay).toISOString(),
      failedStage: null,
      error,
    });
  }

  /** Splits stderr into lines: a tail for the panel, and the log (rate-limited so a flood cannot fill the disk). */
  #readStderr(run: Run): Promise<void> {
    const stream = run.handle.stderr;
    stream.setEncoding('utf8');
    let partial = '';
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      // A "line" that never ends must not grow without bound.
      if (partial.length > STDERR_LINE_CHARS) {
        lines.push(partial);
        partial = '';
      }
      for (const line of lines) this.#stderrLine(run, line);
    });
    return new Promise((resolve) => {
      const end = () => {
        if (partial) this.#stderrLine(run, partial);
        partial = '';
        resolve();
      };
      stream.once('end', end);
      stream.once('close', end);
      stream.once('error', end);
    });
  }

  #stderrLine(run: Run, raw: string): void {
    // A grandchild can hold an old worker's stderr open past its exit: its lines are not the new worker's.
    if (run !== this.#run) return;
    const line = raw.replace(/\r$/, '').slice(0, STDERR_LINE_CHARS);
    if (!line.trim()) return;
    this.#stderr.push(line);
    if (this.#stderr.length > STDERR_TAIL_LINES) this.#stderr.shift();
    const budget = this.#stderrBudget.take();
    if (budget.droppedBefore > 0) this.#logger.info({ worker: pidOf(run) }, `${budget.droppedBefore} worker stderr lines dropped`);
    if (budget.allowed) this.#logger.info({ worker: pidOf(run) }, line);
  }

  #kill(run: Run, signal: 'SIGTERM' | 'SIGKILL'): void {
    try {
      run.handle.kill(signal);
    } catch (error) {
      this.#logger.warn({ worker: pidOf(run), err: error }, `could not send ${signal} to the pipeline worker`);
    }
  }

  /** A timer that belongs to one run and dies with it. */
  #after(run: Run, ms: number, action: () => void): void {
    if (run.exited) return; // its timers are cleared at the exit; one armed later would outlive it
    const timer = setTimeout(() => {
      run.timers.delete(timer);
      action();
    }, ms);
    run.timers.add(timer);
  }

  #clearRunTimers(run: Run): void {
    for (const timer of run.timers) clearTimeout(timer);
    run.timers.clear();
  }

  #clearRetry(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  /** Waits for `promise` at most `ms`, leaving no timer behind either way. */
  async #atMost(promise: Promise<void>, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /** Emits 'state' when something other than the stderr tail changed (a chatty worker would flood listeners). */
  #setState(patch: Partial<Omit<SupervisorState, 'stderr'>>): void {
    const next = { ...this.#state, ...patch };
    const changed = (Object.keys(next) as Array<keyof typeof next>).some((key) => next[key] !== this.#state[key]);
    this.#state = next;
    if (changed) this.emit('state', this.state);
  }
}

export function describeExit(code: number | null, signal: string | null): string {
  if (signal) return `the worker was killed by ${signal}`;
  if (code !== null) return `the worker exited with code ${code}`;
  return 'the worker ended';
}

function pidOf(run: Run): number | null {
  run.pid = run.handle.pid ?? run.pid;
  return run.pid ?? null;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function validate(raw: unknown): ReturnType<typeof fromWorkerSchema.safeParse> | 'schema-broken' {
  try {
    return fromWorkerSchema.safeParse(raw);
  } catch {
    return 'schema-broken';
  }
}

/** The `type` of an invalid message, short, for the log. */
function messageType(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || !('type' in raw)) return null;
  return String(raw.type).slice(0, 40);
}

/** Where the message failed, without any of its values. */
function issueSummary(error: z.ZodError): string[] {
  return error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`);
}
