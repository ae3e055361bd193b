/**
 * Opening the core clears what a key write killed between write and rename left beside the secrets file
 * (util/atomic-write.ts names it after its writer's pid), and nothing a running writer may still need.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/domain.js';
import { confBackend, SettingsStore } from '../settings/settings-store.js';
import { CamPanelCore } from './campanel-core.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-core-tmp-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((done) => child.on('exit', done));
  return child.pid ?? 0;
}

const tempName = (pid: number): string => `.campanel.secrets.${pid.toString(16).padStart(8, '0')}0123456789abcdef.tmp`;

describe('CamPanelCore.open', () => {
  it('removes an interrupted key write beside the configured secrets file, keeps a running writer’s', async () => {
    const secretsDir = join(dir, 'secrets');
    await mkdir(secretsDir);
    const dataDir = join(dir, 'data');
    const settings = SettingsStore.open(dataDir, confBackend);
    settings.setApi({ ...DEFAULT_SETTINGS.api, secretsFilePath: join(secretsDir, 'campanel.secrets') });
    const abandoned = tempName(await deadPid());
    const running = tempName(process.ppid);
    await writeFile(join(secretsDir, abandoned), '{"jwtSecrets":{"jwtSecretKey":"x"}}', { mode: 0o600 });
    await writeFile(join(secretsDir, running), 'x', { mode: 0o600 });

    const core = await CamPanelCore.open({ dataDir, logger: pino({ level: 'silent' }) });
    await core.close();
    expect(await readdir(secretsDir)).toEqual([running]);
  });
});
