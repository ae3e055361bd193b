/**
 * Photos: the next frame of a camera as JPEG (as delivered), PNG or lossless TIFF (converted by
 * ffmpeg), or a DNG from rpicam-still where the sensor's raw data exists (rpicam backend).
 */
import { lstat, unlink } from 'node:fs/promises';
import type { ToolPaths, ToWorker } from '../protocol.js';
import { MISSING_TOOL, convertArgs, rpicamDngPath, rpicamStillArgs } from './backends.js';
import type { CameraSource } from './camera-source.js';
import { ensureDir } from '../../util/ensure-dir.js';
import { describeFsError, linkToFinal, partialPath, syncFile, writeUnique } from './capture-names.js';
import { lastLine, runTool } from './child-process.js';
import { UserError } from './user-error.js';

export type CaptureRequest = Extract<ToWorker, { type: 'capture' }>;

export const CAPTURE_FRAME_MS = 3000;
const CONVERT_TIMEOUT_MS = 20_000;
const RPICAM_STILL_TIMEOUT_MS = 30_000;

export interface CaptureContext {
  source: CameraSource | undefined;
  tools: ToolPaths;
  /** Final path of a recording in progress on this camera, if any. */
  recordingPath: string | null;
}

/** Takes the photo; resolves with the absolute final path, rejects with a UserError. */
export async function capture(request: CaptureRequest, context: CaptureContext): Promise<string> {
  const { source, tools } = context;
  if (!source) throw new UserError(`camera ${request.camera} is not configured`);
  if (request.format === 'dng' && source.spec.backend === 'rpicam') return rawDng(request, source, context);
  // Without sensor data a "raw" photo is the frame losslessly: TIFF.
  const format = request.format === 'dng' ? 'tiff' : request.format;
  const problem = source.configurationError;
  if (problem !== null) throw new UserError(`camera ${request.camera} cannot take photos: ${problem}`);
  if (format !== 'jpg' && tools.ffmpeg === null) throw new UserError(MISSING_TOOL.ffmpeg);

  // Ask for the frame first: it must be the next one after the request, not one after our own I/O.
  const next = source.nextFrame(CAPTURE_FRAME_MS);
  try {
    await ensureDir(request.dir);
  } catch (error) {
    next.cancel();
    throw new UserError(describeFsError(error, request.dir));
  }
  const frame = await next.frame;
  if (typeof frame === 'string') throw new UserError(`camera ${request.camera} delivered no frame within ${CAPTURE_FRAME_MS / 1000} s: ${frame}`);
  let data: Uint8Array = frame;
  if (format !== 'jpg') {
    if (tools.ffmpeg === null) throw new UserError(MISSING_TOOL.ffmpeg);
    data = await convert(tools.ffmpeg, frame, format);
  }
  try {
    return await writeUnique(request.dir, request.stem, format, data);
  } catch (error) {
    throw new UserError(describeFsError(error, request.dir));
  }
}

async function convert(ffmpeg: string, jpeg: Buffer, format: 'png' | 'tiff'): Promise<Buffer> {
  const result = await runTool(ffmpeg, convertArgs(format), { input: jpeg, timeoutMs: CONVERT_TIMEOUT_MS });
  if (result.code !== 0 || result.error !== null || result.stdout.length === 0) {
    throw new UserError(`converting the photo to ${format.toUpperCase()} failed: ${result.error ?? (lastLine(result.stderr) || `ffmpeg exit code ${result.code}`)}`);
  }
  return result.stdout;
}

/** rpicam-still needs the camera to itself: the stream stops for the shot and comes back after it. */
async function rawDng(request: CaptureRequest, source: CameraSource, context: CaptureContext): Promise<string> {
  const still = context.tools.rpicamStill;
  if (still === null) throw new UserError(MISSING_TOOL.rpicamStill);
  if (context.recordingPath !== null) {
    throw new UserError(`camera ${request.camera} is recording to ${context.recordingPath}: a raw photo needs the camera to itself`);
  }
  try {
    await ensureDir(request.dir);
  } catch (error) {
    throw new UserError(describeFsError(error, request.dir));
  }
  // Both names are hidden partial names, so a crash leaves nothing removePartialFiles() misses.
  const jpg = `${partialPath(request.dir, request.stem, 'dng')}.jpg`;
  const dng = rpicamDngPath(jpg);
  try {
    const result = await source.withCameraReleased(() => runTool(still, rpicamStillArgs(source.spec, jpg), { timeoutMs: RPICAM_STILL_TIMEOUT_MS }));
    if (result.code !== 0 || result.error !== null) {
      throw new UserError(`rpicam-still failed: ${result.error ?? (lastLine(result.stderr) || `exit code ${result.code}`)}`);
    }
    try {
      await lstat(dng);
    } catch {
      throw new UserError('rpicam-still wrote no DNG file');
    }
    await syncFile(dng);
    return await linkToFinal(dng, request.dir, request.stem, 'dng');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(describeFsError(error, request.dir));
  } finally {
    await Promise.all([unlink(jpg), unlink(dng)].map((p) => p.catch(() => undefined)));
  }
}
