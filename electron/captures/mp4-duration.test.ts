/** A video's length from its MP4 header: real files made by ffmpeg, hand-built boxes for the cases ffmpeg does not write. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mp4DurationSeconds } from './mp4-duration.js';

let dir: string;
let plain: string;
let faststart: string;

function ffmpeg(out: string, seconds: number, extra: string[] = []): void {
  execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', String(seconds), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', ...extra, '-y', out]);
}

/** Box with a 32-bit size. */
const box = (type: string, payload: Buffer) => {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, payload]);
};

/** Box with size field 1 and a 64-bit size after the type. */
const largeBox = (type: string, payload: Buffer) => {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(1, 0);
  header.write(type, 4, 'latin1');
  header.writeBigUInt64BE(BigInt(16 + payload.length), 8);
  return Buffer.concat([header, payload]);
};

function mvhd(version: 0 | 1, timescale: number, duration: bigint): Buffer {
  const body = Buffer.alloc(version === 0 ? 100 : 112);
  body[0] = version;
  if (version === 0) {
    body.writeUInt32BE(timescale, 12);
    body.writeUInt32BE(Number(duration), 16);
  } else {
    body.writeUInt32BE(timescale, 20);
    body.writeBigUInt64BE(duration, 24);
  }
  return box('mvhd', body);
}

const ftyp = box('ftyp', Buffer.from('isom\0\0\0\x01isomavc1', 'latin1'));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-mp4-'));
  plain = join(dir, 'plain.mp4');
  faststart = join(dir, 'faststart.mp4');
  ffmpeg(plain, 2);
  ffmpeg(faststart, 3, ['-movflags', '+faststart']);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, data: Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, data);
  return path;
}

describe('mp4DurationSeconds', () => {
  it('reads an ffmpeg recording whose moov comes after mdat', async () => {
    const data = await readFile(plain);
    expect(data.indexOf('moov')).toBeGreaterThan(data.indexOf('mdat'));
    expect(await mp4DurationSeconds(plain)).toBeCloseTo(2, 1);
  });

  it('reads a +faststart file (moov before mdat)', async () => {
    const data = await readFile(faststart);
    expect(data.indexOf('moov')).toBeLessThan(data.indexOf('mdat'));
    expect(await mp4DurationSeconds(faststart)).toBeCloseTo(3, 1);
  });

  it('mvhd version 1 with 64-bit duration, behind a 64-bit sized mdat', async () => {
    const file = Buffer.concat([ftyp, largeBox('mdat', Buffer.alloc(64)), box('moov', mvhd(1, 1000, 5_000_000_123n))]);
    expect(await mp4DurationSeconds(await write('v1.mp4', file))).toBe(5_000_000.123);
  });

  it('mvhd version 0 after another box inside moov', async () => {
    const file = Buffer.concat([ftyp, box('moov', Buffer.concat([box('udta', Buffer.alloc(10)), mvhd(0, 90000, 450000n)])), box('mdat', Buffer.alloc(8))]);
    expect(await mp4DurationSeconds(await write('v0.mp4', file))).toBe(5);
  });

  it('a last box of size 0 runs to the end of the file', async () => {
    const endless = Buffer.alloc(8);
    endless.write('moov', 4, 'latin1');
    const file = Buffer.concat([ftyp, endless, mvhd(0, 600, 1200n)]);
    expect(await mp4DurationSeconds(await write('size0.mp4', file))).toBe(2);
  });

  it.each<[string, () => Promise<Buffer>]>([
    ['a truncated recording (no moov yet)', async () => (await readFile(plain)).subarray(0, 2000)],
    ['a recording cut inside moov', async () => {
      const data = await readFile(plain);
      return data.subarray(0, data.indexOf('moov') + 20);
    }],
    ['garbage', async () => Buffer.from('this is not a video at all, just text that goes on for a while'.repeat(20))],
    ['an empty file', async () => Buffer.alloc(0)],
    ['a box claiming more bytes than the file has', async () => Buffer.concat([ftyp, box('moov', mvhd(0, 1000, 1000n)).subarray(0, 40)])],
    ['a box size smaller than its header', async () => Buffer.from([0, 0, 0, 4, 0x6d, 0x6f, 0x6f, 0x76, 0, 0, 0, 0])],
    ['timescale 0', async () => Buffer.concat([ftyp, box('moov', mvhd(0, 0, 1000n))])],
    ['duration "unknown" (all ones)', async () => Buffer.concat([ftyp, box('moov', mvhd(0, 1000, 0xffffffffn))])],
    ['an unknown mvhd version', async () => {
      const bad = mvhd(0, 1000, 1000n);
      bad[8] = 7;
      return Buffer.concat([ftyp, box('moov', bad)]);
    }],
  ])('%s → null', async (name, make) => {
    expect(await mp4DurationSeconds(await write(`${name.replace(/\W+/g, '-')}.mp4`, await make()))).toBeNull();
  });

  it('a missing file → null', async () => {
    expect(await mp4DurationSeconds(join(dir, 'nope.mp4'))).toBeNull();
  });
});
