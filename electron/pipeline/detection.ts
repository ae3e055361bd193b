/**
 * Which cameras this machine has: Raspberry Pi cameras that `rpicam-vid --list-cameras` lists, and USB
 * (UVC) cameras under /sys/class/video4linux. Used for `campanel camera list` and to pick the first
 * camera when none is configured (the test source when nothing is found, so the product works anywhere).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_CAMERA, defaultDevice, type CameraBackend, type CameraConfig } from '../../shared/domain.js';
import type { ToolPaths } from './protocol.js';
import { minimalWorkerEnv } from './worker-launcher.js';
import { parseRpicamList } from './worker/backends.js';

export interface DetectedCamera {
  backend: CameraBackend;
  device: string;
  model: string;
}

const LIST_TIMEOUT_MS = 5000;
const SYS_VIDEO = '/sys/class/video4linux';
/** Video nodes of the Pi's own hardware (codecs, ISP, CSI receivers): not cameras to stream from directly. */
const NOT_A_WEBCAM = /bcm2835|rpivid|pispbe|rp1-cfe|unicam|hevc|codec|isp/i;

export interface DetectionPlaces {
  /** Where the kernel describes video devices (tests pass a made-up tree). */
  sysVideo?: string;
  /** Where the device nodes are. */
  dev?: string;
  /** The environment rpicam-vid runs with: minimal, like the worker's. */
  env?: Record<string, string>;
}

export async function detectCameras(tools: ToolPaths, places: DetectionPlaces | string = {}): Promise<DetectedCamera[]> {
  const { sysVideo = SYS_VIDEO, dev = '/dev', env = minimalWorkerEnv() } = typeof places === 'string' ? { sysVideo: places } : places;
  const [rpicam, usb] = await Promise.all([detectRpicam(tools.rpicamVid, env), detectUsb(sysVideo, dev)]);
  return [...rpicam, ...usb];
}

function detectRpicam(rpicamVid: string | null, env: Record<string, string>): Promise<DetectedCamera[]> {
  if (!rpicamVid) return Promise.resolve([]);
  return new Promise((resolve) => {
    execFile(rpicamVid, ['--list-cameras'], { timeout: LIST_TIMEOUT_MS, env }, (_error, stdout, stderr) => {
      // rpicam-apps print the list on stdout or stderr depending on the version: read both.
      const cameras = parseRpicamList(`${stdout}\n${stderr}`);
      resolve(cameras.map((camera) => ({ backend: 'rpicam', device: String(camera.index), model: camera.model })));
    });
  });
}

async function detectUsb(sysVideo: string, dev: string): Promise<DetectedCamera[]> {
  let nodes: string[];
  try {
    nodes = (await readdir(sysVideo)).filter((name) => /^video\d+$/.test(name));
  } catch {
    return [];
  }
  const found: DetectedCamera[] = [];
  for (const node of nodes.sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))) {
    const read = (file: string) => readFile(join(sysVideo, node, file), 'utf8').then((text) => text.trim(), () => '');
    const [name, index] = await Promise.all([read('name'), read('index')]);
    // A UVC camera has several nodes; index 0 is the one that captures video (the others carry metadata).
    if (index !== '' && index !== '0') continue;
    if (NOT_A_WEBCAM.test(name)) continue;
    if (!existsSync(join(dev, node))) continue;
    const device = `/dev/${node}`;
    found.push({ backend: 'v4l2', device, model: name || device });
  }
  return found;
}

/** The camera to configure when none is: the first detected one, else the test source. */
export function firstCamera(detected: readonly DetectedCamera[]): CameraConfig {
  const camera = detected[0];
  if (!camera) return { backend: 'testsrc', device: defaultDevice('testsrc'), ...DEFAULT_CAMERA };
  return { backend: camera.backend, device: camera.device, ...DEFAULT_CAMERA };
}
