import { describe, expect, it } from 'vitest';
import type { CameraSpec } from '../protocol.js';
import {
  chooseV4l2Input,
  clockFilter,
  convertArgs,
  ffmpegQscale,
  parseRpicamList,
  parseV4l2Formats,
  recordArgs,
  rpicamDngPath,
  rpicamStillArgs,
  rpicamVidArgs,
  testsrcArgs,
  v4l2Args,
  v4l2ListFormatsArgs,
} from './backends.js';

const spec = (over: Partial<CameraSpec> = {}): CameraSpec => ({ num: 0, backend: 'testsrc', device: 'testsrc2', width: 320, height: 240, fps: 15, jpegQuality: 80, ...over });

describe('ffmpegQscale', () => {
  it('maps JPEG quality 1..100 onto -q:v 31..2, higher quality → lower q', () => {
    expect(ffmpegQscale(1)).toBe(31);
    expect(ffmpegQscale(100)).toBe(2);
    expect(ffmpegQscale(80)).toBe(8);
    expect(ffmpegQscale(50)).toBe(17);
    for (let q = 2; q <= 100; q += 1) expect(ffmpegQscale(q)).toBeLessThanOrEqual(ffmpegQscale(q - 1));
  });
});

describe('testsrc', () => {
  it('builds the lavfi command, with the clock overlay when available', () => {
    expect(testsrcArgs(spec(), false)).toEqual([
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15',
      '-c:v', 'mjpeg', '-q:v', '8', '-pix_fmt', 'yuvj420p', '-f', 'mjpeg', 'pipe:1',
    ]);
    expect(testsrcArgs(spec({ device: 'smptebars', jpegQuality: 100 }), true)).toEqual([
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-f', 'lavfi', '-i', `smptebars=size=320x240:rate=15,${clockFilter(240)}`,
      '-c:v', 'mjpeg', '-q:v', '2', '-pix_fmt', 'yuvj420p', '-f', 'mjpeg', 'pipe:1',
    ]);
  });

  it('leaves `testsrc` alone: it draws its own running timestamp', () => {
    expect(testsrcArgs(spec({ device: 'testsrc' }), true)[8]).toBe('testsrc=size=320x240:rate=15');
  });

  it('writes the clock without characters that need filter escaping', () => {
    expect(clockFilter(720)).toBe('drawtext=text=%{localtime}:x=23:y=23:fontsize=45:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=9');
  });
});

const LIST_FORMATS = `[video4linux2,v4l2 @ 0x55d0c5a0e2c0] Compressed:       mjpeg :          Motion-JPEG : 640x480 1280x720 1920x1080
[video4linux2,v4l2 @ 0x55d0c5a0e2c0] Raw       :     yuyv422 :           YUYV 4:2:2 : 640x480 1280x720
[video4linux2,v4l2 @ 0x55d0c5a0e2c0] Compressed:        h264 :                H.264 : 1920x1080
/dev/video0: Immediate exit requested
`;

describe('v4l2', () => {
  it('parses ffmpeg -list_formats output', () => {
    expect(v4l2ListFormatsArgs('/dev/video0')).toEqual(['-hide_banner', '-nostdin', '-f', 'v4l2', '-list_formats', 'all', '-i', '/dev/video0']);
    expect(parseV4l2Formats(LIST_FORMATS)).toEqual([
      { kind: 'compressed', name: 'mjpeg', description: 'Motion-JPEG', sizes: ['640x480', '1280x720', '1920x1080'], emulated: false },
      { kind: 'raw', name: 'yuyv422', description: 'YUYV 4:2:2', sizes: ['640x480', '1280x720'], emulated: false },
      { kind: 'compressed', name: 'h264', description: 'H.264', sizes: ['1920x1080'], emulated: false },
    ]);
    const stepwise = '[video4linux2,v4l2 @ 0x1] Raw       :       nv12 :     Y/UV 4:2:0 : Emulated : {32-3280, 2}x{32-2464, 2}';
    expect(parseV4l2Formats(stepwise)).toEqual([{ kind: 'raw', name: 'nv12', description: 'Y/UV 4:2:0', sizes: ['{32-3280, 2}x{32-2464, 2}'], emulated: true }]);
    expect(parseV4l2Formats('/dev/video9: No such file or directory')).toEqual([]);
  });

  it('copies MJPEG when the camera offers it, else encodes a raw format (YUYV preferred)', () => {
    expect(chooseV4l2Input(parseV4l2Formats(LIST_FORMATS))).toEqual({ inputFormat: 'mjpeg', copy: true });
    const rawOnly = LIST_FORMATS.split('\n').filter((line) => line.includes('Raw')).join('\n');
    expect(chooseV4l2Input(parseV4l2Formats(rawOnly))).toEqual({ inputFormat: 'yuyv422', copy: false });
    expect(chooseV4l2Input([])).toEqual({ inputFormat: null, copy: false });
  });

  it('builds the copy and the encode commands', () => {
    const cam = spec({ backend: 'v4l2', device: '/dev/video0', width: 1280, height: 720, fps: 30 });
    expect(v4l2Args(cam, { inputFormat: 'mjpeg', copy: true })).toEqual([
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-f', 'v4l2', '-input_format', 'mjpeg', '-video_size', '1280x720', '-framerate', '30', '-i', '/dev/video0', '-c:v', 'copy', '-f', 'mjpeg', 'pipe:1',
    ]);
    expect(v4l2Args(cam, { inputFormat: 'yuyv422', copy: false })).toEqual([
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-f', 'v4l2', '-input_format', 'yuyv422', '-video_size', '1280x720', '-framerate', '30', '-i', '/dev/video0',
      '-c:v', 'mjpeg', '-q:v', '8', '-pix_fmt', 'yuvj420p', '-f', 'mjpeg', 'pipe:1',
    ]);
    expect(v4l2Args(cam, { inputFormat: null, copy: false }).slice(4, 10)).toEqual(['-f', 'v4l2', '-video_size', '1280x720', '-framerate', '30']);
  });
});

const RPICAM_LIST = `Available cameras
-----------------
0 : imx708 [4608x2592 10-bit RGGB] (/base/soc/i2c0mux/i2c@1/imx708@1a)
    Modes: 'SRGGB10_CSI2P' : 1536x864 [120.13 fps - (768, 432)/3072x1728 crop]
                             2304x1296 [56.03 fps - (0, 0)/4608x2592 crop]
                             4608x2592 [14.35 fps - (0, 0)/4608x2592 crop]

1 : imx219_noir [3280x2464 8-bit RGGB] (/base/soc/i2c0mux/i2c@0/imx219@10)
    Modes: 'SRGGB8' : 640x480 [206.65 fps - (1000, 752)/1280x960 crop]
`;

describe('rpicam', () => {
  it('parses --list-cameras', () => {
    expect(parseRpicamList(RPICAM_LIST)).toEqual([
      { index: 0, model: 'imx708' },
      { index: 1, model: 'imx219_noir' },
    ]);
    expect(parseRpicamList('No cameras available!\n')).toEqual([]);
    expect(parseRpicamList('[0:01:02.123456789] [1234]  INFO Camera camera_manager.cpp:327 libcamera v0.3.2\n')).toEqual([]);
  });

  it('builds rpicam-vid and rpicam-still commands', () => {
    const cam = spec({ backend: 'rpicam', device: '1', width: 1280, height: 720, fps: 30, jpegQuality: 85 });
    expect(rpicamVidArgs(cam)).toEqual(['-n', '-t', '0', '--camera', '1', '--codec', 'mjpeg', '--width', '1280', '--height', '720', '--framerate', '30', '-q', '85', '-o', '-']);
    expect(rpicamStillArgs(cam, '/p/.a.dng.partial-1-1.jpg')).toEqual(['-n', '--camera', '1', '-r', '-o', '/p/.a.dng.partial-1-1.jpg', '--width', '1280', '--height', '720', '-t', '1000']);
    expect(rpicamDngPath('/p/.a.dng.partial-1-1.jpg')).toBe('/p/.a.dng.partial-1-1.dng');
    expect(rpicamDngPath('/p.d/x')).toBe('/p.d/x.dng');
  });
});

describe('ffmpeg helpers', () => {
  it('records MJPEG from stdin into a constant-rate H.264 MP4', () => {
    expect(recordArgs(15, '/v/.a.mp4.partial-1-2')).toEqual([
      '-hide_banner', '-loglevel', 'error', '-f', 'mjpeg', '-use_wallclock_as_timestamps', '1', '-i', 'pipe:0',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-fps_mode', 'cfr', '-r', '15',
      '-f', 'mp4', '-y', '/v/.a.mp4.partial-1-2',
    ]);
  });

  it('converts one JPEG to PNG or TIFF on stdout', () => {
    expect(convertArgs('tiff')).toEqual(['-hide_banner', '-loglevel', 'error', '-f', 'mjpeg', '-i', 'pipe:0', '-frames:v', '1', '-pix_fmt', 'rgb24', '-c:v', 'tiff', '-f', 'image2pipe', 'pipe:1']);
  });
});
