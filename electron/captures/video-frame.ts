/**
 * One frame of a video as a JPEG, with ffmpeg: explicit argv, no shell, no stdin, the worker's minimal
 * environment, and a timeout that kills it, so a damaged file cannot leave an ffmpeg behind on a Pi.
 */
import { spawn } from 'node:child_process';
import { minimalWorkerEnv } from '../pipeline/worker-launcher.js';

const FRAME_TIMEOUT_MS = 10_000;
/** A 320-wide JPEG is a few tens of KB; more means something is wrong. */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/** The frame at `atSeconds`, scaled to `width` (even height), as JPEG bytes; rejects with ffmpeg's last words. */
export function videoFrame(ffmpeg: string, path: string, atSeconds: number, width: number, timeoutMs = FRAME_TIMEOUT_MS): Promise<Buffer> {
  const args = [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    // Before -i: a fast seek to the nearest key frame, then decoding to the exact time.
    '-ss',
    atSeconds.toFixed(3),
    '-i',
    path,
    '-frames:v',
    '1',
    '-an',
    '-vf',
    `scale=${width}:-2`,
    '-f',
    'image2pipe',
    '-c:v',
    'mjpeg',
    '-q:v',
    '4',
    'pipe:1',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'], env: minimalWorkerEnv(), shell: false });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = '';
    let failure: string | null = null;
    const timer = setTimeout(() => {
      failure = `ffmpeg took longer than ${timeoutMs / 1000} s`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_OUTPUT_BYTES) {
        failure = 'ffmpeg wrote more than a thumbnail';
        child.kill('SIGKILL');
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`ffmpeg could not be started: ${error.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (failure) return reject(new Error(failure));
      if (code !== 0 || bytes === 0) return reject(new Error(`ffmpeg found no frame (exit ${code}): ${stderr.trim().split('\n').pop() ?? ''}`));
      resolve(Buffer.concat(chunks));
    });
  });
}
