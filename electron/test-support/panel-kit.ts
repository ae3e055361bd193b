/**
 * A real panel server for tests: a core on a temporary data directory and a tiny renderer folder, on
 * 127.0.0.1:0. restart() stops the panel server and starts a new one on the same port and data directory
 * (as a restarted `campanel serve` would); close() stops both and removes the directory.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { CamPanelCore } from '../core/campanel-core.js';
import { createHandlers } from '../handlers/index.js';
import { startPanelServer, type PanelServer } from '../panel-server/panel-server.js';
import { HandlerRegistry } from '../registry/handler-registry.js';

export type { PanelServer };

export interface TestPanel {
  dir: string;
  core: CamPanelCore;
  panel: PanelServer;
  restart(): Promise<PanelServer>;
  close(): Promise<void>;
}

export async function startTestPanel(prefix: string): Promise<TestPanel> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const rendererDir = join(dir, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>panel</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  const core = await CamPanelCore.open({ dataDir: join(dir, 'data'), logger: pino({ level: 'silent' }) });
  const registry = new HandlerRegistry(createHandlers(core), (name) => core.users.get(name));
  let panel = await startPanelServer({ core, registry, rendererDir, port: 0 });
  return {
    dir,
    core,
    panel,
    restart: async () => {
      await panel.close();
      panel = await startPanelServer({ core, registry, rendererDir, port: panel.port });
      return panel;
    },
    close: async () => {
      await panel.close();
      await core.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
