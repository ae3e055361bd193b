/**
 * `campanel serve`: the core and the panel server without Electron, on 127.0.0.1.
 * Prints exactly two lines a person or a script can rely on: "API: …" and "Panel: …".
 */
import { rendererDir } from '../app-paths.js';
import { startControlServer } from '../control/control-socket.js';
import { CamPanelCore } from '../core/campanel-core.js';
import { acquireLock, resolveDataDir } from '../data-dir/data-dir.js';
import { createHandlers } from '../handlers/index.js';
import { closeLogger, createLogger, type Logger } from '../logging/logger.js';
import { startPanelServer } from '../panel-server/panel-server.js';
import { HandlerRegistry } from '../registry/handler-registry.js';
import { listenForStop, type StopRequest } from './stop-request.js';

export interface ServeOptions {
  dataDir?: string;
  panelPort: number;
}

/** What start-up has opened, undone in reverse order whatever happens; one step failing does not skip the rest. */
class Teardown {
  readonly #steps: Array<() => unknown> = [];

  add(step: () => unknown): void {
    this.#steps.push(step);
  }

  async run(): Promise<unknown[]> {
    const errors: unknown[] = [];
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }
}

export async function serve(options: ServeOptions): Promise<void> {
  // First, before anything exists that would need cleaning up.
  const stop = listenForStop();
  const teardown = new Teardown();
  let failure: { error: unknown } | null = null;
  try {
    await startAndRun(options, stop, teardown);
  } catch (error) {
    failure = { error };
  }
  const teardownErrors = await teardown.run();
  stop.dispose();
  if (failure) throw failure.error;
  if (teardownErrors.length > 0) throw teardownErrors[0];
}

/** Starts step by step, checking for a stop request between steps; returns when serve should stop. */
async function startAndRun(options: ServeOptions, stop: StopRequest, teardown: Teardown): Promise<void> {
  const dataDir = resolveDataDir(options.dataDir);
  const lock = acquireLock(dataDir, { mode: 'serve' });
  teardown.add(() => lock.release());
  const logger = createLogger({ dataDir, stdout: true });
  teardown.add(() => closeLogger(logger));
  if (lock.removedTempFiles.length > 0) logger.info({ removed: lock.removedTempFiles }, 'temp files of an interrupted write removed');
  const stopping = (): boolean => stoppedDuringStartUp(stop, logger);

  if (stopping()) return;
  const core = await CamPanelCore.open({ dataDir, logger });
  teardown.add(() => core.close());
  const registry = new HandlerRegistry(createHandlers(core), (name) => core.users.get(name), logger);
  if (stopping()) return;
  await core.startCamera();
  if (stopping()) return;
  await core.api.startIfValid();
  if (stopping()) return;
  const panel = await startPanelServer({ core, registry, rendererDir: rendererDir(), port: options.panelPort });
  teardown.add(() => panel.close());
  lock.update({ panelUrl: `http://127.0.0.1:${panel.port}/` });
  if (stopping()) return;
  const control = await startControlServer(core);
  if (control) teardown.add(() => control.close());
  if (stopping()) return;

  const reason = await core.api.inactiveReason();
  const urls = core.api.urls;
  const apiLine = core.api.isRunning ? `API: ${urls.join(' ')}` : `API: inactive (${reason ?? 'not started'})`;
  process.stdout.write(`${apiLine}\nPanel: ${panel.url}\n`);
  logger.info({ dataDir, panelPort: panel.port, api: core.api.isRunning }, 'campanel serve started');

  logger.info({ reason: await stop.requested }, 'stopping');
}

function stoppedDuringStartUp(stop: StopRequest, logger: Logger): boolean {
  if (stop.reason === null) return false;
  logger.info({ reason: stop.reason }, 'stopping during start-up');
  return true;
}
