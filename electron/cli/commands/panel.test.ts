/**
 * `campanel panel-url` runs only inside the running instance: through the control socket it gets a fresh
 * single-use URL from the panel server; on a core of its own (nothing runs) it says CamPanel is not running.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendCommand, startControlServer, type ControlServer } from '../../control/control-socket.js';
import { CamPanelCore } from '../../core/campanel-core.js';
import { createHandlers } from '../../handlers/index.js';
import { startPanelServer, type PanelServer } from '../../panel-server/panel-server.js';
import { HandlerRegistry } from '../../registry/handler-registry.js';
import { runOnCore } from './index.js';

let dir: string;
let core: CamPanelCore;
let control: ControlServer | null = null;
let panel: PanelServer | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-purl-'));
  core = await CamPanelCore.open({ dataDir: join(dir, 'data'), logger: pino({ level: 'silent' }) });
});

afterEach(async () => {
  await control?.close();
  await panel?.close();
  control = null;
  panel = null;
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

const exchange = (url: string) =>
  new Promise<number>((resolve, reject) => {
    request(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });

async function startPanel(): Promise<PanelServer> {
  const rendererDir = join(dir, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>panel</title>');
  const registry = new HandlerRegistry(createHandlers(core), (name) => core.users.get(name));
  return startPanelServer({ core, registry, rendererDir, port: 0 });
}

describe('campanel panel-url', () => {
  it('prints a fresh single-use URL from the running instance', async () => {
    panel = await startPanel();
    control = await startControlServer(core);
    const printed = await sendCommand(core.dataDir, 'panel.url', {});
    const url = printed.trim();
    expect(printed).toBe(`${url}\n`);
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${panel.port}/\\?token=[\\w-]{32}$`));
    expect(url).not.toBe(panel.url);
    expect(await exchange(url)).toBe(303);
    expect(await exchange(url)).toBe(401);
    expect(await exchange(panel.url)).toBe(303); // the URL printed at start is still unused
  });

  it('says plainly that CamPanel is not running when no instance runs', async () => {
    await expect(runOnCore(core, 'panel.url', {})).rejects.toThrow(`CamPanel is not running on ${core.dataDir}`);
  });

  it('says that the desktop app has no panel URL', async () => {
    control = await startControlServer(core);
    await expect(sendCommand(core.dataDir, 'panel.url', {})).rejects.toThrow('The running CamPanel is the desktop app');
  });

  it('stops offering URLs once the panel server is closed', async () => {
    panel = await startPanel();
    await panel.close();
    panel = null;
    await expect(runOnCore(core, 'panel.url', {})).rejects.toThrow('CamPanel is not running');
  });
});
