/** `campanel camera …` as typed: arguments, options and help; what each command does is in commands/camera.ts. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { CAMERA_LIMITS, parseResolution } from '../../../shared/domain.js';
import { dataDirOption, parseInteger, print } from '../options.js';
import { runCommand } from '../run-command.js';

const resolution = (value: string) => {
  const parsed = parseResolution(value);
  if (!parsed) throw new InvalidArgumentError('must be WIDTHxHEIGHT, e.g. 1280x720');
  return parsed;
};

const yesNo = (value: string) => {
  if (value === 'yes') return true;
  if (value === 'no') return false;
  throw new InvalidArgumentError('must be yes or no');
};

const cameraNumber = (value: string) => parseInteger(0, CAMERA_LIMITS.cameras - 1)(value);

interface CameraFlags {
  backend?: 'testsrc' | 'v4l2' | 'rpicam';
  device?: string;
  resolution?: { width: number; height: number };
  fps?: number;
  quality?: number;
  dataDir?: string;
}

const cameraArgs = ({ backend, device, resolution: size, fps, quality }: CameraFlags) => ({
  ...(backend === undefined ? {} : { backend }),
  ...(device === undefined ? {} : { device }),
  ...(size === undefined ? {} : { width: size.width, height: size.height }),
  ...(fps === undefined ? {} : { fps }),
  ...(quality === undefined ? {} : { jpegQuality: quality }),
});

function cameraOptions(command: Command, backendRequired: boolean): Command {
  const backend = new Option('--backend <backend>', 'testsrc (ffmpeg test pattern), v4l2 (USB camera) or rpicam (Raspberry Pi camera)').choices([
    'testsrc',
    'v4l2',
    'rpicam',
  ]);
  if (backendRequired) backend.makeOptionMandatory();
  return command
    .addOption(backend)
    .option('--device <device>', 'v4l2: /dev/videoN; rpicam: camera number; testsrc: pattern (testsrc, testsrc2, smptebars, mandelbrot)')
    .option('--resolution <WxH>', 'frame size, e.g. 1280x720', resolution)
    .option('--fps <n>', 'frames per second', parseInteger(1, CAMERA_LIMITS.maxFps))
    .option('--quality <n>', 'JPEG quality 1-100', parseInteger(1, 100))
    .addOption(dataDirOption());
}

export function cameraGrammar(): Command {
  const camera = new Command('camera').description('cameras, their settings and the camera pipeline');

  camera
    .command('list')
    .description('configured cameras and the cameras this machine has')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => print(await runCommand(options, 'camera.list', {})));

  cameraOptions(camera.command('add').description('configure another camera'), true).action(async (flags: CameraFlags) =>
    print(await runCommand({ dataDir: flags.dataDir }, 'camera.add', { backend: flags.backend ?? 'testsrc', ...cameraArgs(flags) })),
  );

  cameraOptions(camera.command('set').description("change a camera's settings").argument('<n>', 'camera number', cameraNumber), false).action(
    async (num: number, flags: CameraFlags) => print(await runCommand({ dataDir: flags.dataDir }, 'camera.set', { num, ...cameraArgs(flags) })),
  );

  camera
    .command('remove')
    .description('remove a camera (later cameras move down one number)')
    .argument('<n>', 'camera number', cameraNumber)
    .addOption(dataDirOption())
    .action(async (num: number, options: { dataDir?: string }) => print(await runCommand(options, 'camera.remove', { num })));

  camera
    .command('options')
    .description('settings for all cameras: file types, photo directory, idle timeout, streaming authentication, active camera')
    .addOption(new Option('--photo-type <type>', 'photo file type').choices(['jpg', 'png']))
    .addOption(new Option('--raw-type <type>', 'raw photo type (dng needs a Raspberry Pi camera; others write lossless tiff)').choices(['dng', 'tiff']))
    .option('--photo-dir <dir>', 'where photos and videos go ("" = <data dir>/photos)')
    .option('--idle-timeout <seconds>', 'stop a camera after this long without clients (0 = always on)', parseInteger(0, CAMERA_LIMITS.maxIdleSeconds))
    .option('--require-auth <yes|no>', 'require authentication for streams and snapshots', yesNo)
    .option('--active <n>', 'the active camera (/video_feed, take_photo)', cameraNumber)
    .addOption(dataDirOption())
    .action(
      async (options: {
        photoType?: 'jpg' | 'png';
        rawType?: 'dng' | 'tiff';
        photoDir?: string;
        idleTimeout?: number;
        requireAuth?: boolean;
        active?: number;
        dataDir?: string;
      }) =>
        print(
          await runCommand({ dataDir: options.dataDir }, 'camera.options', {
            ...(options.photoType === undefined ? {} : { photoType: options.photoType }),
            ...(options.rawType === undefined ? {} : { rawType: options.rawType }),
            ...(options.photoDir === undefined ? {} : { photoDir: options.photoDir }),
            ...(options.idleTimeout === undefined ? {} : { idleTimeoutSeconds: options.idleTimeout }),
            ...(options.requireAuth === undefined ? {} : { requireAuthForStreaming: options.requireAuth }),
            ...(options.active === undefined ? {} : { activeCamera: options.active }),
          }),
        ),
    );

  camera
    .command('status')
    .description('the camera pipeline: state, fps, resolution and clients per camera (from the running instance)')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => print(await runCommand(options, 'camera.status', {})));

  camera
    .command('restart')
    .description('restart the camera pipeline (a fresh worker; clears a failed state)')
    .addOption(dataDirOption())
    .action(async (options: { dataDir?: string }) => print(await runCommand(options, 'camera.restart', {})));

  return camera;
}
