/**
 * Structured JSON logs to `<dataDir>/logs/` (rotated by size) and, under `campanel serve`, to stdout.
 * Secrets are redacted by key name before a line leaves the process, whatever a caller passes in.
 */
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger, type TransportTargetOptions } from 'pino';

export type { Logger };

export interface LoggerOptions {
  dataDir: string;
  /** Also write every line to stdout (fd 1), for `campanel serve` under systemd or a terminal. */
  stdout: boolean;
  level?: string;
  /** Rotate to a new file at this size (pino-roll's notation: '5m', '1k'); default 5m. */
  fileSize?: string;
}

/** Key names whose values never reach a log line. */
const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'access_token',
  'refresh_token',
  'key',
  'jwtSecretKey',
  'secret',
  'authorization',
  'cookie',
];

/** Each key at the top level and one or two levels deep, plus the HTTP header spots where they live. */
export const REDACT_PATHS: string[] = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.headers["set-cookie"]',
];

const REDACTED = '[redacted]';
const LOG_FILE_SIZE = '5m';
const LOG_FILE_BASE = 'campanel';
const LOG_FILE_EXTENSION = '.log';
/** Only the owner reads the logs; sonic-boom opens every file (the first and each rotated one) with this mode. */
const LOG_FILE_MODE = 0o600;
/** pino-roll keeps `count` rotated files besides the active one: 4 + 1 = 5 files on disk at most. */
const ROTATED_FILES_KEPT = 4;

/** The transports this module created, so closeLogger can flush them; keyed by the stream a logger and its children share. */
const ownTransports = new WeakSet<object>();

export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? 'info';
  const logsDir = join(options.dataDir, 'logs');
  // Logs name users and addresses: keep them as private as the rest of the data directory.
  mkdirSync(logsDir, { recursive: true, mode: 0o700 });
  narrowOlderLogFiles(logsDir);
  const targets: TransportTargetOptions[] = [
    {
      // Resolved by package name in the worker thread, so it works from the tsc output in out/ as well.
      target: 'pino-roll',
      level,
      options: {
        file: join(logsDir, LOG_FILE_BASE),
        extension: LOG_FILE_EXTENSION,
        size: options.fileSize ?? LOG_FILE_SIZE,
        limit: { count: ROTATED_FILES_KEPT },
        mkdir: true,
        mode: LOG_FILE_MODE,
      },
    },
  ];
  if (options.stdout) targets.push({ target: 'pino/file', level, options: { destination: 1 } });
  const transport = pino.transport({ targets });
  ownTransports.add(transport);
  return pino({ level, redact: { paths: REDACT_PATHS, censor: REDACTED } }, transport);
}

/** A mode only applies to files being created: log files an older version left readable to all are narrowed here. */
function narrowOlderLogFiles(logsDir: string): void {
  const ours = new RegExp(`^${LOG_FILE_BASE}\\.\\d+\\${LOG_FILE_EXTENSION}$`);
  for (const entry of readdirSync(logsDir, { withFileTypes: true })) {
    if (!entry.isFile() || !ours.test(entry.name)) continue;
    try {
      chmodSync(join(logsDir, entry.name), LOG_FILE_MODE);
    } catch {
      // Another owner's file (or gone meanwhile): logging must not stop start-up over it.
    }
  }
}

/** Flushes and closes the logger's transport, so a process can exit without losing its last lines. */
export async function closeLogger(logger: Logger): Promise<void> {
  const stream: unknown = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  if (!isClosableTransport(stream) || !ownTransports.has(stream)) return;
  ownTransports.delete(stream);
  // pino unrefs the worker thread when it becomes ready; a ref() before that would be undone, so wait for it first.
  if (!stream.ready) {
    await new Promise((resolve, reject) => {
      stream.once('ready', resolve);
      stream.once('error', reject);
    });
  }
  await new Promise<void>((resolve, reject) => {
    stream.once('close', () => resolve());
    stream.once('error', reject);
    // Without ref() a process with nothing else to do would exit before 'close' arrives, and this await would never settle.
    stream.ref();
    logger.flush();
    stream.end();
  });
}

interface ClosableTransport {
  readonly ready: boolean;
  once(event: 'ready' | 'close' | 'error', listener: (error?: unknown) => void): unknown;
  end(): void;
  ref(): void;
}

function isClosableTransport(value: unknown): value is ClosableTransport {
  return typeof value === 'object' && value !== null && 'end' in value && 'once' in value && 'ref' in value && 'ready' in value;
}
