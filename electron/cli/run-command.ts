/**
 * Where a CLI command runs: inside the running app or `serve` when one holds the data directory
 * (through its control socket, so nothing is written under its feet), otherwise on a core this
 * process opens itself under the data directory's lock.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { NotListeningError, socketPath, sendCommand } from '../control/control-socket.js';
import { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import { LockHeldError, acquireLock, resolveDataDir, type InstanceLock } from '../data-dir/data-dir.js';
import { closeLogger, createLogger } from '../logging/logger.js';
import { runOnCore, type CommandArgs, type CommandName } from './commands/index.js';

export interface DataDirOption {
  dataDir?: string;
}

export interface Patience {
  /**
   * How long to keep trying while the instance holding the lock does not answer on its socket: it listens
   * only once started, and stops listening before it lets go of the lock.
   */
  waitForInstanceMs: number;
}

const RETRY_EVERY_MS = 100;

export async function runCommand<K extends CommandName>(
  options: DataDirOption,
  name: K,
  args: CommandArgs<K>,
  patience: Patience = { waitForInstanceMs: 10_000 },
): Promise<string> {
  const dataDir = resolveDataDir(options.dataDir);
  const deadline = Date.now() + patience.waitForInstanceMs;
  for (;;) {
    let lock: InstanceLock;
    try {
      lock = acquireLock(dataDir, { mode: 'cli' });
    } catch (error) {
      if (!(error instanceof LockHeldError)) throw error;
      try {
        return await sendCommand(dataDir, name, args);
      } catch (sendError) {
        // Only when nothing was sent is it safe to try again (through the socket, or here once the lock is free).
        if (!(sendError instanceof NotListeningError)) throw sendError;
        if (Date.now() >= deadline) {
          throw new DomainError(
            'conflict',
            `CamPanel is running on ${dataDir} (${error.holder}) but does not answer on ${socketPath(dataDir)}: it may be starting or stopping. Try again in a moment.`,
          );
        }
        await sleep(RETRY_EVERY_MS);
        continue;
      }
    }
    return runHere(dataDir, lock, name, args);
  }
}

async function runHere<K extends CommandName>(dataDir: string, lock: InstanceLock, name: K, args: CommandArgs<K>): Promise<string> {
  try {
    const logger = createLogger({ dataDir, stdout: false });
    try {
      const core = await CamPanelCore.open({ dataDir, logger });
      try {
        return await runOnCore(core, name, args);
      } finally {
        await core.close();
      }
    } finally {
      await closeLogger(logger);
    }
  } finally {
    lock.release();
  }
}
