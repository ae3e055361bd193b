/**
 * The control socket: lets `campanel user|api|token …` act through the running app or `serve`
 * instead of writing the data directory under its feet. A Unix socket at <dataDir>/campanel.sock,
 * mode 0600 inside the 0700 data directory, so only the user who owns the data (and root) can connect.
 * One JSON request per connection, one JSON answer.
 */
import { chmod, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { isCommandName, runOnCore, type CommandName } from '../cli/commands/index.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import { markRunningInstance, unmarkRunningInstance } from './running-instance.js';

export const socketPath = (dataDir: string): string => join(dataDir, 'campanel.sock');

/** Unix socket paths are limited to about 107 bytes on Linux. */
const MAX_SOCKET_PATH = 100;
const MAX_REQUEST_BYTES = 64 * 1024;

const requestSchema = z.strictObject({ command: z.string().max(40), args: z.unknown() });
const answerSchema = z.union([
  z.strictObject({ ok: z.literal(true), output: z.string() }),
  z.strictObject({ ok: z.literal(false), message: z.string() }),
]);

export interface ControlServer {
  close(): Promise<void>;
}

/** Start the socket; null (with a log line) when the path is too long for a Unix socket. */
export async function startControlServer(core: CamPanelCore): Promise<ControlServer | null> {
  const path = socketPath(core.dataDir);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    core.logger.warn({ path }, 'control socket path too long; CLI commands need the instance stopped');
    return null;
  }
  // We hold the data directory's lock, so a socket file left here belongs to a dead instance.
  await rm(path, { force: true });
  const server: Server = createServer((socket) => {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (Buffer.byteLength(received) > MAX_REQUEST_BYTES) socket.destroy();
      else if (received.includes('\n')) void answer(core, received.slice(0, received.indexOf('\n'))).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  markRunningInstance(core);
  return {
    close: async () => {
      unmarkRunningInstance(core);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(path, { force: true });
    },
  };
}

async function answer(core: CamPanelCore, line: string): Promise<z.infer<typeof answerSchema>> {
  try {
    const request = requestSchema.parse(JSON.parse(line));
    if (!isCommandName(request.command)) return { ok: false, message: `Unknown command ${request.command}` };
    return { ok: true, output: await runOnCore(core, request.command, request.args) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, message: error.message };
    core.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'control request failed');
    return { ok: false, message: 'The running CamPanel could not run the command (see its log)' };
  }
}

/**
 * Nobody listens on the socket (a file left by a dead instance, or one not listening yet): the command was not
 * sent, so trying again or running it elsewhere cannot run it twice.
 */
export class NotListeningError extends Error {
  constructor(readonly path: string) {
    super(`Nothing listens on ${path}`);
    this.name = 'NotListeningError';
  }
}

/** What connect() gives on a socket file nobody listens on, on a missing one, and on a path too long to be one. */
const NOT_LISTENING = new Set(['ECONNREFUSED', 'ENOENT', 'ENOTSOCK', 'ENAMETOOLONG']);

/** Send one command to the running instance; resolves with its stdout text, rejects with its message. */
export function sendCommand(dataDir: string, command: CommandName, args: unknown, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const path = socketPath(dataDir);
    const socket = createConnection(path);
    let received = '';
    let connected = false;
    const timer = setTimeout(() => socket.destroy(new Error('The running CamPanel did not answer')), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify({ command, args })}\n`);
    });
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(!connected && error.code !== undefined && NOT_LISTENING.has(error.code) ? new NotListeningError(path) : error);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      const parsed = answerSchema.safeParse(safeJson(received.trim()));
      if (!parsed.success) reject(new Error('The running CamPanel sent an unexpected answer'));
      else if (parsed.data.ok) resolve(parsed.data.output);
      else reject(new DomainError('invalid', parsed.data.message));
    });
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
