import { describe, expect, it } from 'vitest';
import type { CameraSpec, ToolPaths } from '../protocol.js';
import { MISSING_TOOL, rpicamVidArgs, testsrcArgs } from './backends.js';
import { buildSourceCommand, ffmpegCanDrawClock } from './source-command.js';

const spec = (over: Partial<CameraSpec>): CameraSpec => ({ num: 0, backend: 'testsrc', device: 'smptebars', width: 320, height: 240, fps: 15, jpegQuality: 80, ...over });
const tools: ToolPaths = { ffmpeg: '/usr/bin/ffmpeg', rpicamVid: '/opt/rpicam-vid', rpicamStill: null };
const none: ToolPaths = { ffmpeg: null, rpicamVid: null, rpicamStill: null };

describe('buildSourceCommand', () => {
  it('draws the clock when this ffmpeg can, and leaves it out silently when it cannot', async () => {
    expect(await ffmpegCanDrawClock('/usr/bin/ffmpeg')).toBe(true);
    expect(await ffmpegCanDrawClock('/bin/false')).toBe(false);
    expect(await buildSourceCommand(spec({}), tools)).toEqual({ tool: 'ffmpeg', command: '/usr/bin/ffmpeg', args: testsrcArgs(spec({}), true) });
    expect(await buildSourceCommand(spec({}), { ...tools, ffmpeg: '/bin/false' })).toEqual({ tool: 'ffmpeg', command: '/bin/false', args: testsrcArgs(spec({}), false) });
  });

  it('uses rpicam-vid for rpicam cameras', async () => {
    const cam = spec({ backend: 'rpicam', device: '0' });
    expect(await buildSourceCommand(cam, tools)).toEqual({ tool: 'rpicam-vid', command: '/opt/rpicam-vid', args: rpicamVidArgs(cam) });
  });

  it('explains what is missing', async () => {
    expect(await buildSourceCommand(spec({}), none)).toEqual({ error: MISSING_TOOL.ffmpeg });
    expect(await buildSourceCommand(spec({ backend: 'rpicam', device: '0' }), none)).toEqual({ error: MISSING_TOOL.rpicamVid });
    expect(await buildSourceCommand(spec({ backend: 'v4l2', device: '/dev/video42' }), tools)).toEqual({ error: 'no such device /dev/video42' });
  });

  it('encodes a v4l2 device that lists no formats, letting ffmpeg pick the input format', async () => {
    const result = await buildSourceCommand(spec({ backend: 'v4l2', device: '/dev/null' }), tools);
    expect(result).toMatchObject({ tool: 'ffmpeg', command: '/usr/bin/ffmpeg' });
    expect('args' in result && result.args.slice(4, 11)).toEqual(['-f', 'v4l2', '-video_size', '320x240', '-framerate', '15', '-i']);
  });
});
