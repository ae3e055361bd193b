/**
 * What the main process and the pipeline worker say to each other.
 *
 * Two channels:
 * - control messages (this file's zod schemas) over the process's IPC channel (child_process.fork:
 *   process.send; Electron utilityProcess: parentPort), validated on both sides;
 * - frames over the worker's stdout as a binary stream: a 16-byte header then the JPEG bytes. The
 *   main process reads only the header (it never parses camera bytes) and keeps the JPEG as one
 *   Buffer that every HTTP client is handed without a copy.
 *
 * The worker never writes anything else to stdout; its log lines go to stderr.
 */
import { z } from 'zod';
import { cameraBackendSchema, photoTypeSchema, rawTypeSchema, videoTypeSchema } from '../../shared/domain.js';

export const PROTOCOL_VERSION = 1;

/** One camera as the worker needs it: everything to build the source's command line. */
export const cameraSpecSchema = z.strictObject({
  num: z.number().int().min(0).max(15),
  backend: cameraBackendSchema,
  device: z.string().max(1024),
  width: z.number().int().min(16).max(4096),
  height: z.number().int().min(16).max(4096),
  fps: z.number().int().min(1).max(120),
  jpegQuality: z.number().int().min(1).max(100),
});
export type CameraSpec = z.infer<typeof cameraSpecSchema>;

/** Tools the worker may run, resolved by the main process (explicit paths; no shell, no PATH search in the worker). */
export const toolPathsSchema = z.strictObject({
  ffmpeg: z.string().nullable(),
  rpicamVid: z.string().nullable(),
  rpicamStill: z.string().nullable(),
});
export type ToolPaths = z.infer<typeof toolPathsSchema>;

const id = z.number().int().min(0);
const absolutePath = z.string().min(1).max(4096).refine((p) => p.startsWith('/'), 'absolute path');

/** Main process → worker. */
export const toWorkerSchema = z.discriminatedUnion('type', [
  /** The whole camera list; cameras not listed are stopped. Sent after `ready` and on every settings change. */
  z.strictObject({ type: z.literal('configure'), cameras: z.array(cameraSpecSchema).max(16), tools: toolPathsSchema }),
  /** Start (true) or stop (false) a camera's source: the main process decides when frames are needed (idle). */
  z.strictObject({ type: z.literal('demand'), camera: z.number().int(), active: z.boolean() }),
  /**
   * Take a photo from the next frame: `photo` jpg|png, `raw` tiff|dng. Written to `dir` as <stem>.<type>
   * (or <stem>_1.<type>, … when taken), appearing under that name only when complete.
   */
  z.strictObject({
    type: z.literal('capture'),
    id,
    camera: z.number().int(),
    kind: z.enum(['photo', 'raw']),
    format: z.union([photoTypeSchema, rawTypeSchema]),
    dir: absolutePath,
    stem: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/),
  }),
  /** Start recording; answered once frames really flow into the encoder. durationSeconds 0 = until stopped. */
  z.strictObject({
    type: z.literal('record'),
    id,
    camera: z.number().int(),
    format: videoTypeSchema,
    dir: absolutePath,
    stem: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/),
    durationSeconds: z.number().min(0).max(86_400),
  }),
  /** Stop recording; answered once the file is closed and under its final name. */
  z.strictObject({ type: z.literal('stopRecord'), id, camera: z.number().int() }),
]);
export type ToWorker = z.infer<typeof toWorkerSchema>;

export const workerCameraStateSchema = z.strictObject({
  camera: z.number().int(),
  state: z.enum(['starting', 'running', 'idle', 'failed']),
  width: z.number().int(),
  height: z.number().int(),
  fps: z.number(),
  recording: z.boolean(),
  /** Final path of the recording in progress, if any. */
  recordingPath: z.string().nullable(),
  error: z.string().nullable(),
  stderr: z.array(z.string().max(1000)).max(20),
});
export type WorkerCameraState = z.infer<typeof workerCameraStateSchema>;

/** Worker → main process. */
export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), version: z.literal(PROTOCOL_VERSION), pid: z.number().int() }),
  /** Sent on every change and about once a second while a camera runs (measured fps). */
  z.strictObject({ type: z.literal('cameras'), cameras: z.array(workerCameraStateSchema) }),
  /** Answer to capture / record / stopRecord (one discriminator value per option: `ok` tells the two apart). */
  z.discriminatedUnion('ok', [
    z.strictObject({ type: z.literal('result'), id, ok: z.literal(true), path: z.string() }),
    z.strictObject({ type: z.literal('result'), id, ok: z.literal(false), error: z.string().max(2000) }),
  ]),
  /** A recording ended by itself (duration reached, source failed): its final path, or why none was kept. */
  z.strictObject({
    type: z.literal('recordingEnded'),
    camera: z.number().int(),
    path: z.string().nullable(),
    reason: z.string().max(2000),
  }),
]);
export type FromWorker = z.infer<typeof fromWorkerSchema>;

/*
 * Frame header on the worker's stdout, little-endian:
 *   0..1  magic 0xCA 0xFE
 *   2     camera number
 *   3     flags (0)
 *   4..7  JPEG length (u32)
 *   8..15 timestamp: when the frame left the camera source, Unix seconds (f64, microsecond precision)
 */
export const FRAME_HEADER_BYTES = 16;
export const FRAME_MAGIC = 0xfeca; // bytes CA FE read as u16 LE
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export function encodeFrameHeader(camera: number, length: number, timestamp: number): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUInt16LE(FRAME_MAGIC, 0);
  header.writeUInt8(camera, 2);
  header.writeUInt8(0, 3);
  header.writeUInt32LE(length, 4);
  header.writeDoubleLE(timestamp, 8);
  return header;
}

export interface FrameHeader {
  camera: number;
  length: number;
  timestamp: number;
}

/** Null when the bytes are not a frame header (the stream is out of step: the reader gives up on it). */
export function decodeFrameHeader(bytes: Buffer, offset = 0): FrameHeader | null {
  if (bytes.readUInt16LE(offset) !== FRAME_MAGIC) return null;
  const length = bytes.readUInt32LE(offset + 4);
  if (length === 0 || length > MAX_FRAME_BYTES) return null;
  return { camera: bytes.readUInt8(offset + 2), length, timestamp: bytes.readDoubleLE(offset + 8) };
}
