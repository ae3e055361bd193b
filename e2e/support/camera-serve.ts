/**
 * A real `campanel serve` with two test cameras (320x240, light on the 2-core machine), configured only
 * through the CLI as a headless user would: alice (admin), bob (user, still on his initial password),
 * the API on a free loopback port, and a generated access token for ?token= and Bearer.
 */
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { cli, freePort, freshDataDir, removeDir, startServe, type ServeHandle } from './serve.js';

export const ALICE = { name: 'alice', password: 'alice-password-1' } as const;

export interface CameraServe {
  serve: ServeHandle;
  dataDir: string;
  /** http://127.0.0.1:PORT (the API's port, where /api and the stream URLs are) */
  base: string;
  /** A generated (non-expiring) access token for alice. */
  token: string;
  bearer: Record<string, string>;
  close(): Promise<void>;
}

export async function run(args: string[], dataDir: string, input?: string): Promise<string> {
  const result = await cli([...args, '--data-dir', dataDir], input);
  expect(result.stderr, args.join(' ')).toBe('');
  expect(result.code, args.join(' ')).toBe(0);
  return result.stdout;
}

export async function startCameraServe(
  options: { idleSeconds?: number; requireAuth?: boolean; env?: NodeJS.ProcessEnv; fps?: number; extraArgs?: string[] } = {},
): Promise<CameraServe> {
  const dataDir = await freshDataDir();
  const port = await freePort();
  await run(['user', 'add', ALICE.name, '--admin'], dataDir, `${ALICE.password}\n`);
  await run(['user', 'add', 'bob'], dataDir, 'bob-initial-pw-1\n');
  await run(['api', 'configure', '--secrets-file', join(dataDir, 'secrets', 'campanel.secrets'), '--host', '127.0.0.1', '--port', String(port)], dataDir);
  await run(['camera', 'add', '--backend', 'testsrc', '--device', 'testsrc', '--resolution', '320x240', '--fps', String(options.fps ?? 15)], dataDir);
  await run(['camera', 'add', '--backend', 'testsrc', '--device', 'smptebars', '--resolution', '320x240', '--fps', String(options.fps ?? 15)], dataDir);
  await run(
    ['camera', 'options', '--idle-timeout', String(options.idleSeconds ?? 10), '--require-auth', options.requireAuth === false ? 'no' : 'yes'],
    dataDir,
  );
  const token = (await run(['token', 'generate', '--user', ALICE.name, '--label', 'e2e'], dataDir)).trim();
  const serve = await startServe(dataDir, options.extraArgs ?? [], options.env);
  const base = `http://127.0.0.1:${port}`;
  expect(serve.apiLine).toBe(`${base}/api`);
  return {
    serve,
    dataDir,
    base,
    token,
    bearer: { Authorization: `Bearer ${token}` },
    close: async () => {
      await serve.stop();
      await removeDir(dataDir);
    },
  };
}
