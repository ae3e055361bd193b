/** The camera service's own bookkeeping, on a real service whose worker never starts (frames fed by the test). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { frameFedCamera } from '../test-support/api-test-kit.js';
import type { CameraService } from './camera-service.js';

let dir: string;
let camera: CameraService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-camera-service-'));
  camera = frameFedCamera(dir);
  camera.applySettings(); // the configured cameras, as start() would take them
});

afterEach(async () => {
  await camera.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('holdPreview', () => {
  it('counts each open preview as a client until released (once, however often release is called)', () => {
    let changes = 0;
    camera.events.on('change', () => (changes += 1));
    const first = camera.holdPreview(0);
    const second = camera.holdPreview(0);
    expect(camera.state().cameras[0]?.clients).toBe(2);
    first();
    first();
    expect(camera.state().cameras[0]?.clients).toBe(1);
    second();
    expect(camera.state().cameras[0]?.clients).toBe(0);
    expect(changes).toBe(4);
  });
});
