/**
 * `campanel serve`: the core and the panel server without Electron, on 127.0.0.1.
 * Prints exactly two lines a person or a script can rely on: "API: …" and "Panel: …".
 */
import { rendererDir } from '../app-paths.js';
import { startControlServer } from '../control/control-socket.js';
import { CamPanelCore } from '../core/campanel-core.js';
import { acquireLock, resolveDataDir } from '../data-dir/data-dir.js';
import { createHandlers } from '../handlers/index.js';
import { closeLogger, createLogger } from '../logging/logger.js';
import { startPanelServer } from '../panel-server/panel-server.js';
import { HandlerRegistry } from '../registry/handler-registry.js';

export interface ServeOptions {
  dataDir?: string;
  panelPort: number;
}

export async function serve(options: ServeOptions): Promise<void> {
  const dataDir = resolveDataDir(options.dataDir);
  const lock = acquireLock(dataDir, { mode: 'serve' });
  const logger = createLogger({ dataDir, stdout: true });
  let core: CamPanelCore | null = null;
  try {
    core = await CamPanelCore.open({ dataDir, logger });
    const opened = core;
    const registry = new HandlerRegistry(createHandlers(opened), (name) => opened.users.get(name), logger);
    await opened.startCamera();
    await opened.api.startIfValid();
    const panel = await startPanelServer({ core: opened, registry, rendererDir: rendererDir(), port: options.panelPort });
    lock.update({ panelUrl: `http://127.0.0.1:${panel.port}/` });
    const control = await startControlServer(opened);

    const reason = await opened.api.inactiveReason();
    const urls = opened.api.urls;
    const apiLine = opened.api.isRunning ? `API: ${urls.join(' ')}` : `API: inactive (${reason ?? 'not started'})`;
    process.stdout.write(`${apiLine}\nPanel: ${panel.url}\n`);
    logger.info({ dataDir, panelPort: panel.port, api: opened.api.isRunning }, 'campanel serve started');

    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'stopping');
        resolve();
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    await control?.close();
    await panel.close();
  } finally {
    await core?.close();
    await closeLogger(logger);
    lock.release();
  }
}
