/**
 * The behaviour of the fake rpicam-vid / rpicam-still executables beside this file (see their
 * headers). Test support only: never shipped, never on a real Pi's PATH.
 *
 * Modelled on rpicam-apps: options parsed like boost::program_options (`--width 640` or
 * `--width=640`, unknown options rejected), errors printed as `ERROR: *** <what> ***` on stderr with
 * exit code 255 (main() returns -1), the same wording as rpicam_app.cpp for a missing camera
 * ("no cameras available", "selected camera is not available") and a busy one ("failed to acquire
 * camera <id>"), a few libcamera INFO lines on stderr when a camera starts.
 *
 * Environment:
 *   FAKE_RPICAM_CAMERAS         sensor models, comma-separated (default "imx708"; "" = no camera)
 *   FAKE_RPICAM_FAIL=1          the camera cannot be acquired (as when another process holds it)
 *   FAKE_RPICAM_STALL=1         rpicam-vid opens the camera but never delivers a frame (a hung pipeline)
 *   FAKE_RPICAM_FFMPEG          the ffmpeg that makes the pictures (default /usr/bin/ffmpeg)
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const SENSORS = {
  imx708: { size: '4608x2592', depth: '10-bit RGGB', address: '1a', modes: ['1536x864 [120.13 fps - (768, 432)/3072x1728 crop]', '2304x1296 [56.03 fps - (0, 0)/4608x2592 crop]', '4608x2592 [14.35 fps - (0, 0)/4608x2592 crop]'] },
  imx219: { size: '3280x2464', depth: '8-bit RGGB', address: '10', modes: ['640x480 [206.65 fps - (1000, 752)/1280x960 crop]', '1640x1232 [41.85 fps - (0, 0)/3280x2464 crop]', '3280x2464 [21.19 fps - (0, 0)/3280x2464 crop]'] },
  imx477: { size: '4056x3040', depth: '12-bit RGGB', address: '1a', modes: ['2028x1080 [50.03 fps - (0, 440)/4056x2160 crop]', '4056x3040 [10.00 fps - (0, 0)/4056x3040 crop]'] },
  ov5647: { size: '2592x1944', depth: '10-bit GBRG', address: '36', modes: ['640x480 [58.92 fps - (16, 0)/2560x1920 crop]', '2592x1944 [15.63 fps - (0, 0)/2592x1944 crop]'] },
};

const env = process.env;
const ffmpeg = env.FAKE_RPICAM_FFMPEG || '/usr/bin/ffmpeg';

export const cameras = () => (env.FAKE_RPICAM_CAMERAS ?? 'imx708').split(',').map((model) => model.trim()).filter(Boolean);

const cameraId = (index, model) => `/base/soc/i2c0mux/i2c@${index === 0 ? 1 : 0}/${model}@${(SENSORS[model] ?? SENSORS.imx708).address}`;

/** `rpicam-vid --list-cameras`, as rpicam-apps prints it on stdout. */
export function listCameras() {
  const models = cameras();
  if (models.length === 0) return 'No cameras available!\n';
  let text = 'Available cameras\n-----------------\n';
  models.forEach((model, index) => {
    const sensor = SENSORS[model] ?? SENSORS.imx708;
    text += `${index} : ${model} [${sensor.size} ${sensor.depth}] (${cameraId(index, model)})\n`;
    const format = `'S${sensor.depth.split(' ')[1]}${sensor.depth.split('-')[0]}_CSI2P'`;
    sensor.modes.forEach((mode, m) => {
      text += m === 0 ? `    Modes: ${format} : ${mode}\n` : `${' '.repeat(11 + format.length + 3)}${mode}\n`;
    });
    text += '\n';
  });
  return text;
}

/** Exits like rpicam-apps after an exception: the message framed on stderr, exit code 255. */
export function fail(what) {
  process.stderr.write(`ERROR: *** ${what} ***\n`);
  process.exit(255);
}

/**
 * Parses argv against `spec` (option name → 'flag' | 'value', aliases included). Returns a map of the
 * long names given; rejects anything else the way boost::program_options does.
 */
export function parseOptions(argv, spec) {
  const options = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const entry = spec[name];
    if (!entry) fail(`unrecognised option '${name}'`);
    const [long, kind] = entry;
    if (kind === 'flag') {
      options[long] = true;
    } else if (name !== arg) {
      options[long] = arg.slice(eq + 1);
    } else {
      if (i + 1 >= argv.length) fail(`the required argument for option '${long}' is missing`);
      options[long] = argv[(i += 1)];
    }
  }
  return options;
}

export function intOption(options, name, fallback) {
  if (options[name] === undefined) return fallback;
  const value = Number(options[name]);
  if (!Number.isInteger(value)) fail(`the argument ('${options[name]}') for option '--${name}' is invalid`);
  return value;
}

/** Picks the camera like RPiCamApp::OpenCamera, printing libcamera's first log lines as it goes. */
export function openCamera(index) {
  const now = () => `[0:00:${(performance.now() / 1000 + 10).toFixed(9).padStart(12, '0')}]`;
  process.stderr.write(`${now()} [${process.pid}]  INFO Camera camera_manager.cpp:327 libcamera v0.3.2+fake\n`);
  const models = cameras();
  if (models.length === 0) fail('no cameras available');
  if (index < 0 || index >= models.length) fail('selected camera is not available');
  const model = models[index];
  if (env.FAKE_RPICAM_FAIL === '1') fail(`failed to acquire camera ${cameraId(index, model)}`);
  return model;
}

/** JPEG quality 1..100 → ffmpeg -q:v 31..2. */
const qscale = (quality) => String(Math.round(31 - ((Math.min(100, Math.max(1, quality)) - 1) * 29) / 99));

/**
 * Runs ffmpeg making real pictures. `stdout` is this process's fd 1 for streaming: ffmpeg writes into
 * our stdout pipe directly, so when the reader goes away ffmpeg gets EPIPE and ends — and so do we.
 * SIGTERM/SIGINT end ffmpeg first. Resolves with ffmpeg's exit code (null when killed by a signal).
 */
export function runFfmpeg(args, stdout = 'ignore') {
  const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], { stdio: ['ignore', stdout, 'pipe'] });
  child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
    process.on(signal, () => {
      child.kill('SIGTERM');
      child.once('exit', () => process.exit(0));
    });
  }
  return new Promise((resolve) => {
    child.once('error', (error) => fail(`cannot run ${ffmpeg}: ${error.message}`));
    child.once('exit', (code) => resolve(code));
  });
}

/** ffmpeg's moving test pattern at the requested size and rate. */
export const testInput = (width, height, fps) => ['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`];

export const jpegCodec = (quality) => ['-c:v', 'mjpeg', '-q:v', qscale(quality), '-pix_fmt', 'yuvj420p'];
