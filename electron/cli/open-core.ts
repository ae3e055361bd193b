/**
 * Opening the core for one CLI command: take the data directory's lock (so a command never
 * writes under a running instance's feet), run, and close everything again.
 */
import { CamPanelCore } from '../core/campanel-core.js';
import { acquireLock, resolveDataDir } from '../data-dir/data-dir.js';
import { closeLogger, createLogger } from '../logging/logger.js';

export interface DataDirOption {
  dataDir?: string;
}

export async function withCore<T>(options: DataDirOption, run: (core: CamPanelCore) => Promise<T>): Promise<T> {
  const dataDir = resolveDataDir(options.dataDir);
  const lock = acquireLock(dataDir, { mode: 'cli' });
  const logger = createLogger({ dataDir, stdout: false });
  try {
    const core = await CamPanelCore.open({ dataDir, logger });
    try {
      return await run(core);
    } finally {
      await core.close();
    }
  } finally {
    await closeLogger(logger);
    lock.release();
  }
}
