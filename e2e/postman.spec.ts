/**
 * raspiCamSrv's Postman requests (login, refresh, protected, take_photo, take_raw_photo, record_video with a
 * JSON body on GET, switch_cameras, info, triggered capture) run by newman, Postman's own runner, against a
 * real `campanel serve` with two test cameras. The collection asserts what raspiCamSrv's clients expect.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ALICE, startCameraServe, type CameraServe } from './support/camera-serve.js';
import { REPO_ROOT } from './support/serve.js';

let cam: CameraServe;

test.beforeAll(async () => {
  cam = await startCameraServe();
});

test.afterAll(async () => {
  await cam?.close();
});

interface NewmanReport {
  run: {
    stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } };
    failures: { error: { message: string }; source?: { name?: string } }[];
    executions: { item: { name: string }; response: { code: number } }[];
  };
}

test('every request of raspiCamSrv\'s collection answers as its clients expect', async () => {
  const report = join(cam.dataDir, 'newman-report.json');
  const newman = join(REPO_ROOT, 'node_modules', '.bin', 'newman');
  const args = ['run', join(REPO_ROOT, 'e2e', 'postman', 'raspicamsrv-api.postman_collection.json'),
    '--env-var', `base_url=${cam.base}`, '--env-var', `user=${ALICE.name}`, '--env-var', `pwd=${ALICE.password}`,
    '--reporters', 'json', '--reporter-json-export', report, '--timeout-request', '10000'];
  const code = await new Promise<number | null>((resolve) => spawn(newman, args, { stdio: 'ignore' }).on('exit', resolve));
  const { run } = JSON.parse(await readFile(report, 'utf8')) as NewmanReport;
  expect(run.failures.map((failure) => `${failure.source?.name ?? '?'}: ${failure.error.message}`)).toEqual([]);
  expect(run.stats.requests).toMatchObject({ total: 10, failed: 0 });
  expect(run.stats.assertions.total).toBeGreaterThanOrEqual(25);
  expect(run.executions.map((execution) => [execution.item.name, execution.response.code])).toEqual([
    ['api login', 200], ['api refresh', 200], ['api protected', 200], ['api take_photo', 200], ['api take_raw_photo', 200],
    ['api record video', 200], ['api switch cameras', 200], ['api info', 200], ['api start motion detection', 500], ['api stop motion detection', 500],
  ]);
  expect(code).toBe(0);
});
