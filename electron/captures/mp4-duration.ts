/**
 * A video's length from its MP4 header, without ffmpeg: walk the top-level boxes (ftyp, mdat, moov, … —
 * moov sits after mdat unless the file was written with +faststart) to moov, then its mvhd box, whose
 * timescale and duration give seconds. Reads a few dozen bytes per box, never the media data.
 */
import { open, type FileHandle } from 'node:fs/promises';

/** More boxes than a sane file has at either level: a garbage file ends the walk instead of spinning on it. */
const MAX_BOXES = 1000;

interface Box {
  type: string;
  /** Where the box's payload starts and where the box ends (absolute offsets). */
  start: number;
  end: number;
}

/** Seconds, or null for anything that is not a readable MP4 (truncated, garbage, unknown duration). Never throws. */
export async function mp4DurationSeconds(path: string): Promise<number | null> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    const moov = await findBox(handle, 0, size, 'moov');
    if (!moov) return null;
    const mvhd = await findBox(handle, moov.start, moov.end, 'mvhd');
    return mvhd ? await readMvhd(handle, mvhd) : null;
  } catch {
    return null;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The first box of `type` between `from` and `to`; null when absent or when the box headers do not add up. */
async function findBox(handle: FileHandle, from: number, to: number, type: string): Promise<Box | null> {
  let offset = from;
  for (let count = 0; count < MAX_BOXES && offset + 8 <= to; count += 1) {
    const box = await readBoxHeader(handle, offset, to);
    if (!box) return null;
    if (box.type === type) return box;
    offset = box.end;
  }
  return null;
}

async function readBoxHeader(handle: FileHandle, offset: number, limit: number): Promise<Box | null> {
  const header = await readAt(handle, offset, 16);
  if (header.length < 8) return null;
  const size32 = header.readUInt32BE(0);
  const type = header.toString('latin1', 4, 8);
  let headerSize = 8;
  let size: number;
  if (size32 === 1) {
    // 64-bit "largesize" follows the type (recordings past 4 GiB).
    if (header.length < 16) return null;
    const large = header.readBigUInt64BE(8);
    if (large > BigInt(Number.MAX_SAFE_INTEGER)) return null;
    size = Number(large);
    headerSize = 16;
  } else if (size32 === 0) {
    size = limit - offset; // "extends to the end of the file"
  } else {
    size = size32;
  }
  if (size < headerSize || offset + size > limit) return null;
  return { type, start: offset + headerSize, end: offset + size };
}

/** mvhd: version (1 byte), flags (3); v0 32-bit times and duration, v1 64-bit. */
async function readMvhd(handle: FileHandle, box: Box): Promise<number | null> {
  const data = await readAt(handle, box.start, Math.min(32, box.end - box.start));
  const version = data[0];
  let timescale: number;
  let duration: number;
  if (version === 0 && data.length >= 20) {
    timescale = data.readUInt32BE(12);
    duration = data.readUInt32BE(16);
    if (duration === 0xffffffff) return null; // "unknown"
  } else if (version === 1 && data.length >= 32) {
    timescale = data.readUInt32BE(20);
    const long = data.readBigUInt64BE(24);
    if (long === 0xffffffffffffffffn || long > BigInt(Number.MAX_SAFE_INTEGER)) return null;
    duration = Number(long);
  } else {
    return null;
  }
  if (timescale === 0) return null;
  return Math.round((duration / timescale) * 1000) / 1000;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(Math.max(0, length));
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
  return buffer.subarray(0, bytesRead);
}
