/**
 * Command lines per camera backend, and parsers for what the camera tools print.
 * All pure: the worker decides, these only spell it out (and are unit-tested for exact argv).
 */
import type { CameraSpec } from '../protocol.js';

/** JPEG quality 1..100 → ffmpeg's mjpeg -q:v 31..2 (lower q = better). */
export function ffmpegQscale(jpegQuality: number): number {
  const q = Math.min(100, Math.max(1, Math.round(jpegQuality)));
  return Math.round(31 - ((q - 1) * 29) / 99);
}

const size = (spec: CameraSpec): string => `${spec.width}x${spec.height}`;

/** Output half shared by every ffmpeg source: MJPEG on stdout, 4:2:0 like real cameras deliver. */
const mjpegOut = (spec: CameraSpec): string[] => ['-c:v', 'mjpeg', '-q:v', String(ffmpegQscale(spec.jpegQuality)), '-pix_fmt', 'yuvj420p', '-f', 'mjpeg', 'pipe:1'];

const FFMPEG_COMMON = ['-hide_banner', '-loglevel', 'error', '-nostdin'];

/**
 * A wall-clock overlay ("a moving test pattern with a running clock"). `testsrc` draws its own running
 * timestamp; the others get drawtext with %{localtime} — no ':' or quotes, so no filter escaping.
 * drawtext needs a font through fontconfig: the worker probes once (CLOCK_PROBE_ARGS) and leaves it
 * out when that fails.
 */
export function clockFilter(height: number): string {
  const fontSize = Math.max(10, Math.round(height / 16));
  const margin = Math.round(fontSize / 2);
  return `drawtext=text=%{localtime}:x=${margin}:y=${margin}:fontsize=${fontSize}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=${Math.max(2, Math.round(fontSize / 5))}`;
}

export const CLOCK_PROBE_ARGS = [...FFMPEG_COMMON, '-f', 'lavfi', '-i', `color=size=64x64:rate=1,${clockFilter(64)}`, '-frames:v', '1', '-f', 'null', '-'];

export const patternHasOwnClock = (pattern: string): boolean => pattern === 'testsrc';

export function testsrcArgs(spec: CameraSpec, clock: boolean): string[] {
  let graph = `${spec.device}=size=${size(spec)}:rate=${spec.fps}`;
  if (clock && !patternHasOwnClock(spec.device)) graph += `,${clockFilter(spec.height)}`;
  return [...FFMPEG_COMMON, '-re', '-f', 'lavfi', '-i', graph, ...mjpegOut(spec)];
}

export const v4l2ListFormatsArgs = (device: string): string[] => ['-hide_banner', '-nostdin', '-f', 'v4l2', '-list_formats', 'all', '-i', device];

export interface V4l2Format {
  kind: 'compressed' | 'raw';
  /** ffmpeg's name: mjpeg, h264, yuyv422, … ("Unsupported" when ffmpeg has none). */
  name: string;
  description: string;
  /** "640x480", … as listed (stepwise ranges are kept as ffmpeg prints them). */
  sizes: string[];
  emulated: boolean;
}

/** Parses `ffmpeg -f v4l2 -list_formats all -i DEV` (stderr), e.g. "[video4linux2,v4l2 @ 0x…] Raw : yuyv422 : YUYV 4:2:2 : 640x480". */
export function parseV4l2Formats(text: string): V4l2Format[] {
  const formats: V4l2Format[] = [];
  for (const line of text.split('\n')) {
    // The description may contain ':' ("YUYV 4:2:2") but never " :", which ends it.
    const match = /\b(Compressed|Raw)\s*:\s*(\S+)\s+:\s*(.*?)\s+:(.*)$/.exec(line);
    if (!match) continue;
    const rest = match[4] ?? '';
    formats.push({
      kind: match[1] === 'Raw' ? 'raw' : 'compressed',
      name: match[2] ?? '',
      description: (match[3] ?? '').trim(),
      sizes: rest.match(/\{[^}]*\}x\{[^}]*\}|\d+x\d+/g) ?? [],
      emulated: /\bEmulated\b/.test(rest),
    });
  }
  return formats;
}

export interface V4l2Input {
  /** -input_format, or null to let ffmpeg pick (nothing usable was listed). */
  inputFormat: string | null;
  /** True when the camera delivers MJPEG itself: frames are copied, not re-encoded. */
  copy: boolean;
}

/** MJPEG natively when offered (no CPU spent encoding); else a raw format, preferring YUYV. */
export function chooseV4l2Input(formats: V4l2Format[]): V4l2Input {
  const usable = formats.filter((f) => !f.emulated && f.name !== 'Unsupported');
  if (usable.some((f) => f.kind === 'compressed' && f.name === 'mjpeg')) return { inputFormat: 'mjpeg', copy: true };
  const raw = usable.filter((f) => f.kind === 'raw');
  const preferred = raw.find((f) => f.name === 'yuyv422') ?? raw[0];
  return { inputFormat: preferred?.name ?? null, copy: false };
}

export function v4l2Args(spec: CameraSpec, input: V4l2Input): string[] {
  const inputFormat = input.inputFormat === null ? [] : ['-input_format', input.inputFormat];
  const source = ['-f', 'v4l2', ...inputFormat, '-video_size', size(spec), '-framerate', String(spec.fps), '-i', spec.device];
  const out = input.copy ? ['-c:v', 'copy', '-f', 'mjpeg', 'pipe:1'] : mjpegOut(spec);
  return [...FFMPEG_COMMON, ...source, ...out];
}

/** rpicam-vid streaming MJPEG to stdout; `device` is the camera index rpicam-vid lists. */
export function rpicamVidArgs(spec: CameraSpec): string[] {
  return ['-n', '-t', '0', '--camera', spec.device, '--codec', 'mjpeg', '--width', String(spec.width), '--height', String(spec.height), '--framerate', String(spec.fps), '-q', String(spec.jpegQuality), '-o', '-'];
}

export const RPICAM_LIST_ARGS = ['--list-cameras'];

export interface RpicamCamera {
  index: number;
  model: string;
}

/** Parses `rpicam-vid --list-cameras`: "0 : imx708 [4608x2592 10-bit RGGB] (/base/…)"; "No cameras available!" → []. */
export function parseRpicamList(text: string): RpicamCamera[] {
  const cameras: RpicamCamera[] = [];
  for (const line of text.split('\n')) {
    // Mode continuation lines start with digits too ("2304x1296 [56.03 fps …"), but not "N :".
    const match = /^\s*(\d+)\s*:\s*([^\s[]+)\s*\[/.exec(line);
    if (match) cameras.push({ index: Number(match[1]), model: match[2] ?? '' });
  }
  return cameras;
}

/**
 * rpicam-still for a raw photo: writes `outJpg` and, with -r, the DNG next to it (same name, .dng).
 * -t 1000 rather than -t 1: the camera restarts for this capture and auto exposure needs a moment.
 */
export const RAW_SETTLE_MS = 1000;
export function rpicamStillArgs(spec: CameraSpec, outJpg: string): string[] {
  return ['-n', '--camera', spec.device, '-r', '-o', outJpg, '--width', String(spec.width), '--height', String(spec.height), '-t', String(RAW_SETTLE_MS)];
}

/** Where rpicam-still puts the DNG for `-o X.jpg`: the output name with its extension replaced. */
export function rpicamDngPath(outJpg: string): string {
  const slash = outJpg.lastIndexOf('/');
  const dot = outJpg.lastIndexOf('.');
  return dot > slash ? `${outJpg.slice(0, dot)}.dng` : `${outJpg}.dng`;
}

/** One JPEG on stdin → one PNG or (lossless) TIFF on stdout, as RGB. */
export function convertArgs(format: 'png' | 'tiff'): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-f', 'mjpeg', '-i', 'pipe:0', '-frames:v', '1', '-pix_fmt', 'rgb24', '-c:v', format, '-f', 'image2pipe', 'pipe:1'];
}

/**
 * MJPEG frames on stdin → H.264 MP4. Timestamps are the arrival times (frames come at the camera's
 * pace, with drops), made constant-rate at the camera's fps. -y: the temp file was created empty by the
 * worker (exclusively, so it is ours) and ffmpeg must not ask before overwriting it.
 */
export function recordArgs(fps: number, outPath: string): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-f', 'mjpeg', '-use_wallclock_as_timestamps', '1', '-i', 'pipe:0', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-fps_mode', 'cfr', '-r', String(fps), '-f', 'mp4', '-y', outPath];
}

export const MISSING_TOOL = {
  ffmpeg: 'ffmpeg was not found: install it (apt-get install ffmpeg)',
  rpicamVid: 'rpicam-vid is not available: the Raspberry Pi camera tools (rpicam-apps) are not installed',
  rpicamStill: 'rpicam-still is not available: the Raspberry Pi camera tools (rpicam-apps) are not installed',
} as const;
