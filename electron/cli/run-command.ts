/**
 * Where a CLI command runs: inside the running app or `serve` when one holds the data directory
 * (through its control socket, so nothing is written under its feet), otherwise on a core this
 * process opens itself under the data directory's lock.
 */
import { existsSync } from 'node:fs';
import { socketPath, sendCommand } from '../control/control-socket.js';
import { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import { acquireLock, resolveDataDir, type InstanceLock } from '../data-dir/data-dir.js';
import { closeLogger, createLogger } from '../logging/logger.js';
import { runOnCore, type CommandArgs, type CommandName } from './commands/index.js';

export interface DataDirOption {
  dataDir?: string;
}

export async function runCommand<K extends CommandName>(options: DataDirOption, name: K, args: CommandArgs<K>): Promise<string> {
  const dataDir = resolveDataDir(options.dataDir);
  let lock: InstanceLock;
  try {
    lock = acquireLock(dataDir, { mode: 'cli' });
  } catch (error) {
    const running = error instanceof DomainError && error.code === 'conflict';
    if (running && existsSync(socketPath(dataDir))) return sendCommand(dataDir, name, args);
    throw error;
  }
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
    lock.release();
  }
}
