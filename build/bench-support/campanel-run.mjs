/**
 * The real product for the camera benchmark: a throw-away data directory set up with CamPanel's own CLI,
 * `campanel serve` as a child process (the real process, not npx), its worker and camera ffmpeg found via
 * /proc, and a cleanup that stops everything and proves that nothing of this run is left.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request, Agent } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cmdline, descendants, nowMs, processTable, readStat, stillRunning } from './procfs.mjs';

const PASSWORD = 'bench-password-1';
const STOP_GRACE_MS = 5000;
const LOG_TAIL_LINES = 60;

export async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class CampanelRun {
  dataDir = null;
  port = 0;
  token = '';
  /** The `campanel serve` child, and every process of this run seen so far ({pid, starttime, comm}). */
  serve = null;
  seen = new Map();
  /** Pids of pipeline workers seen: each leads its own session (forked detached), with the camera tools in it. */
  workerSessions = new Set();
  logTail = [];
  apiLine = null;
  apiLineAt = null;
  #exited = null;

  constructor(root) {
    this.root = root;
    this.cli = join(root, 'bin', 'campanel.js');
  }

  /** Data directory, administrator, API settings, a non-expiring token and the camera settings. */
  async prepare(camera) {
    this.dataDir = await mkdtemp(join(tmpdir(), 'campanel-bench-camera-'));
    await chmod(this.dataDir, 0o700);
    const d = ['--data-dir', this.dataDir];
    await this.#cli(['user', 'add', 'admin', '--admin', ...d], `${PASSWORD}\n`);
    this.port = await freePort();
    await this.#cli(['api', 'configure', '--secrets-file', join(this.dataDir, 'keys', 'bench.secrets'), '--host', '127.0.0.1', '--port', String(this.port), ...d]);
    this.token = (await this.#cli(['token', 'generate', '--user', 'admin', '--label', 'bench', ...d])).trim().split('\n').pop().trim();
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(this.token)) throw new Error(`token generate printed no token: ${this.token}`);
    const file = join(this.dataDir, 'settings.json');
    const settings = JSON.parse(await readFile(file, 'utf8'));
    settings.camera = camera;
    await writeFile(file, `${JSON.stringify(settings, null, '\t')}\n`, { mode: 0o600 });
  }

  async #cli(args, input = '') {
    const child = spawn(process.execPath, [this.cli, ...args], { cwd: this.root, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.stdin.end(input);
    const code = await new Promise((resolve, reject) => child.once('error', reject).once('close', resolve));
    if (code !== 0) throw new Error(`campanel ${args.join(' ')} exited with ${code}: ${err || out}`);
    return out;
  }

  /** Spawns `campanel serve`; returns at once (the cold-start clock runs from here). */
  spawnServe() {
    const child = spawn(process.execPath, [this.cli, 'serve', '--data-dir', this.dataDir, '--panel-port', '0'], {
      cwd: this.root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.serve = child;
    this.#exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const keep = (line) => {
      if (line.startsWith('API: ') && this.apiLine === null) {
        this.apiLine = line;
        this.apiLineAt = nowMs();
      }
      this.logTail.push(line);
      if (this.logTail.length > LOG_TAIL_LINES) this.logTail.shift();
    };
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (text) => {
        const lines = (partial + text).split('\n');
        partial = lines.pop();
        lines.forEach(keep);
      });
    }
    const stat = readStat(child.pid);
    if (stat) this.seen.set(child.pid, stat);
    return child;
  }

  get serveAlive() {
    return this.serve !== null && this.serve.exitCode === null && this.serve.signalCode === null;
  }

  /** The current worker and camera ffmpeg (the one reading lavfi, not a recorder), remembered for cleanup. */
  pids() {
    const table = processTable();
    const mine = this.serve ? descendants(this.serve.pid, table) : [];
    for (const p of mine) if (!this.seen.has(p.pid)) this.seen.set(p.pid, p);
    const worker = mine.find((p) => p.ppid === this.serve.pid && cmdline(p.pid).some((arg) => arg.endsWith('worker-main.js')));
    if (worker) this.workerSessions.add(worker.pid);
    const ffmpeg = worker ? mine.find((p) => p.ppid === worker.pid && p.comm === 'ffmpeg' && cmdline(p.pid).includes('lavfi')) : undefined;
    return { serve: this.serve?.pid ?? null, worker: worker?.pid ?? null, ffmpeg: ffmpeg?.pid ?? null };
  }

  /** Polls until `check(pids)` holds or `timeoutMs` passes; returns the last pids and whether it held. */
  async waitFor(check, timeoutMs, everyMs = 50) {
    const deadline = nowMs() + timeoutMs;
    for (;;) {
      const pids = this.pids();
      if (check(pids)) return { pids, ok: true };
      if (nowMs() > deadline) return { pids, ok: false };
      await sleep(everyMs);
    }
  }

  /** SIGTERM, then SIGKILL after STOP_GRACE_MS. Resolves with how it ended. */
  async stopServe() {
    if (!this.serve) return null;
    if (this.serveAlive) {
      this.pids(); // a last look at what it runs now
      this.serve.kill('SIGTERM');
      const ended = await Promise.race([this.#exited, sleep(STOP_GRACE_MS).then(() => null)]);
      if (ended) return { ...ended, forced: false };
      this.serve.kill('SIGKILL');
      return { ...(await this.#exited), forced: true };
    }
    return { ...(await this.#exited), forced: false };
  }

  /**
   * Processes of this run still present: any process seen earlier (same start time), anything in a worker's
   * session (the camera tools), and anything whose parent chain leads to serve.
   */
  leftovers() {
    const table = processTable();
    const left = new Map();
    for (const p of table) {
      const seen = this.seen.get(p.pid);
      if ((seen && seen.starttime === p.starttime) || this.workerSessions.has(p.sid)) left.set(p.pid, p);
    }
    if (this.serve && stillRunning({ pid: this.serve.pid, starttime: this.seen.get(this.serve.pid)?.starttime }))
      for (const p of descendants(this.serve.pid, table)) left.set(p.pid, p);
    return [...left.values()].map((p) => ({ pid: p.pid, comm: p.comm, state: p.state, cmd: cmdline(p.pid).join(' ').slice(0, 160) }));
  }

  /** SIGKILL, by pid, whatever of this run is still there (after stopServe: only what serve failed to stop). */
  killLeftovers(left) {
    for (const p of left) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }

  async removeDataDir() {
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
    this.dataDir = null;
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** GET on the API with the token as Bearer; resolves with status, parsed JSON (if any), milliseconds taken. */
export function apiGet(port, path, token, timeoutMs = 20_000) {
  const started = nowMs();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const ms = nowMs() - started;
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON: the caller looks at the status
        }
        resolve({ status: res.statusCode, json, text, ms });
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export function closeApiAgent() {
  agent.destroy();
}
