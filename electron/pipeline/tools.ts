/**
 * The programs the camera sources need, resolved once in the main process so the worker runs explicit
 * paths (no shell, no PATH search of its own): ffmpeg from PATH, else the binary @ffmpeg-installer ships
 * for this platform; rpicam-vid / rpicam-still from PATH only (Raspberry Pi OS's rpicam-apps).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import type { ToolPaths } from './protocol.js';

export function findOnPath(name: string, path: string | undefined = process.env.PATH): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The ffmpeg inside @ffmpeg-installer/ffmpeg's platform package, when installed and runnable. */
export function bundledFfmpeg(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const installer = require('@ffmpeg-installer/ffmpeg') as { path?: unknown };
    return typeof installer.path === 'string' && isExecutableFile(installer.path) ? installer.path : null;
  } catch {
    return null; // no binary for this platform
  }
}

export function resolveTools(path: string | undefined = process.env.PATH): ToolPaths {
  return {
    ffmpeg: findOnPath('ffmpeg', path) ?? bundledFfmpeg(),
    rpicamVid: findOnPath('rpicam-vid', path),
    rpicamStill: findOnPath('rpicam-still', path),
  };
}

export const MISSING_TOOL_TEXT = {
  ffmpeg: 'ffmpeg was not found: install it (apt-get install ffmpeg)',
  rpicam: 'rpicam-vid is not available: the Raspberry Pi camera tools (rpicam-apps) are not installed',
} as const;
