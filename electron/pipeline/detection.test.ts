/**
 * Camera detection: rpicam-vid --list-cameras through the fake rpicam-vid and small scripts, USB nodes in
 * a fake /sys/class/video4linux, and the camera picked when none is configured.
 *
 * Limitation: detectUsb also requires /dev/videoN to exist, and this test machine has no video devices,
 * so the fake sysfs can only show that nodes without a device file are not offered; the name and index
 * filters cannot be reached from a test without a real device (or an injectable /dev).
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CAMERA } from '../../shared/domain.js';
import { detectCameras, firstCamera } from './detection.js';
import type { ToolPaths } from './protocol.js';

const FAKE_RPICAM_VID = fileURLToPath(new URL('../test-support/fake-rpicam/rpicam-vid', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-detect-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tools = (rpicamVid: string | null): ToolPaths => ({ ffmpeg: null, rpicamVid, rpicamStill: null });
const noSysfs = () => join(dir, 'no-sysfs');

/** An executable shell script in the temp dir. */
async function script(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

/** A fake /sys/class/video4linux: node → { name, index } (undefined leaves the file out). */
async function fakeSysfs(nodes: Record<string, { name?: string; index?: string }>): Promise<string> {
  const root = join(dir, 'video4linux');
  for (const [node, files] of Object.entries(nodes)) {
    await mkdir(join(root, node), { recursive: true });
    if (files.name !== undefined) await writeFile(join(root, node, 'name'), `${files.name}\n`);
    if (files.index !== undefined) await writeFile(join(root, node, 'index'), `${files.index}\n`);
  }
  return root;
}

const LIST_TWO = `Available cameras
-----------------
0 : imx708 [4608x2592 10-bit RGGB] (/base/soc/i2c0mux/i2c@1/imx708@1a)
    Modes: 'SRGGB10_CSI2P' : 1536x864 [120.13 fps - (768, 432)/3072x1728 crop]
                             2304x1296 [56.03 fps - (0, 0)/4608x2592 crop]

1 : imx219 [3280x2464 8-bit RGGB] (/base/soc/i2c0mux/i2c@0/imx219@10)
    Modes: 'SRGGB8_CSI2P' : 640x480 [206.65 fps - (1000, 752)/1280x960 crop]`;

describe('detectCameras: Raspberry Pi cameras', () => {
  it('lists the camera the fake rpicam-vid reports', async () => {
    expect(existsSync(FAKE_RPICAM_VID)).toBe(true);
    await expect(detectCameras(tools(FAKE_RPICAM_VID), noSysfs())).resolves.toEqual([{ backend: 'rpicam', device: '0', model: 'imx708' }]);
  });

  it('reads the list from stdout or stderr (rpicam-apps versions differ)', async () => {
    const onStdout = await script('list-stdout', `cat <<'EOF'\n${LIST_TWO}\nEOF`);
    const onStderr = await script('list-stderr', `cat <<'EOF' >&2\n${LIST_TWO}\nEOF`);
    const expected = [
      { backend: 'rpicam', device: '0', model: 'imx708' },
      { backend: 'rpicam', device: '1', model: 'imx219' },
    ];
    await expect(detectCameras(tools(onStdout), noSysfs())).resolves.toEqual(expected);
    await expect(detectCameras(tools(onStderr), noSysfs())).resolves.toEqual(expected);
  });

  it('finds nothing when rpicam-vid says so, fails, is missing or is not configured', async () => {
    const none = await script('none', `echo 'No cameras available!'`);
    const failing = await script('failing', `echo 'ERROR: *** no cameras available ***' >&2; exit 255`);
    for (const path of [none, failing, join(dir, 'missing-rpicam-vid'), null]) {
      await expect(detectCameras(tools(path), noSysfs()), String(path)).resolves.toEqual([]);
    }
  });

  it('gives up on an rpicam-vid that hangs, keeping what it printed', async () => {
    const hanging = await script('hanging', `echo '0 : ov5647 [2592x1944 10-bit GBRG] (/base/…)'\nexec sleep 30`);
    const started = Date.now();
    await expect(detectCameras(tools(hanging), noSysfs())).resolves.toEqual([{ backend: 'rpicam', device: '0', model: 'ov5647' }]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('detectCameras: USB cameras', () => {
  it('finds nothing when the sysfs directory does not exist', async () => {
    await expect(detectCameras(tools(null), noSysfs())).resolves.toEqual([]);
  });

  it('does not offer sysfs nodes whose /dev/videoN does not exist (none do on this machine)', async () => {
    expect(['/dev/video0', '/dev/video1', '/dev/video10'].filter((path) => existsSync(path))).toEqual([]);
    const sysfs = await fakeSysfs({
      video0: { name: 'HD Pro Webcam C920', index: '0' },
      video1: { name: 'HD Pro Webcam C920', index: '1' },
      video10: { name: 'bcm2835-codec-decode', index: '0' },
      'v4l-subdev0': { name: 'imx708' },
    });
    await expect(detectCameras(tools(null), sysfs)).resolves.toEqual([]);
  });

  it('offers only capture nodes (index 0) of USB cameras, not metadata nodes or the Pi hardware codecs', async () => {
    const sysfs = await fakeSysfs({
      video0: { name: 'HD Pro Webcam C920', index: '0' },
      video1: { name: 'HD Pro Webcam C920', index: '1' },
      video10: { name: 'bcm2835-codec-decode', index: '0' },
      video2: { name: 'USB2.0 Camera', index: '0' },
    });
    const dev = await mkdtemp(join(tmpdir(), 'campanel-dev-'));
    try {
      for (const node of ['video0', 'video1', 'video10', 'video2']) await writeFile(join(dev, node), '');
      await expect(detectCameras(tools(null), { sysVideo: sysfs, dev })).resolves.toEqual([
        { backend: 'v4l2', device: '/dev/video0', model: 'HD Pro Webcam C920' },
        { backend: 'v4l2', device: '/dev/video2', model: 'USB2.0 Camera' },
      ]);
    } finally {
      await rm(dev, { recursive: true, force: true });
    }
  });

  it('lists every camera rpicam-vid reports (two, through the fake tool and its environment)', async () => {
    const detected = await detectCameras(tools(FAKE_RPICAM_VID), { sysVideo: noSysfs(), env: { PATH: process.env.PATH ?? '', FAKE_RPICAM_CAMERAS: 'imx708,imx219' } });
    expect(detected).toEqual([
      { backend: 'rpicam', device: '0', model: 'imx708' },
      { backend: 'rpicam', device: '1', model: 'imx219' },
    ]);
  });

  it('puts Raspberry Pi cameras before USB ones', async () => {
    const sysfs = await fakeSysfs({ video0: { name: 'HD Pro Webcam C920', index: '0' } });
    const detected = await detectCameras(tools(FAKE_RPICAM_VID), sysfs);
    expect(detected[0]).toEqual({ backend: 'rpicam', device: '0', model: 'imx708' });
  });
});

describe('firstCamera', () => {
  it('is the test source with the default settings when nothing was detected', () => {
    expect(firstCamera([])).toEqual({ backend: 'testsrc', device: 'testsrc2', ...DEFAULT_CAMERA });
  });

  it('is the first detected camera with the default settings', () => {
    expect(
      firstCamera([
        { backend: 'v4l2', device: '/dev/video2', model: 'HD Pro Webcam C920' },
        { backend: 'rpicam', device: '0', model: 'imx708' },
      ]),
    ).toEqual({ backend: 'v4l2', device: '/dev/video2', width: 1280, height: 720, fps: 30, jpegQuality: 80 });
  });
});
