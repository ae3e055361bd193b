/** `campanel camera list|add|set|remove|options|status|restart`. */
import { z } from 'zod';
import {
  CAMERA_LIMITS,
  DEFAULT_CAMERA,
  LIMITS,
  cameraBackendSchema,
  defaultDevice,
  photoTypeSchema,
  rawTypeSchema,
  type PipelineState,
} from '../../../shared/domain.js';
import { CLI_ACTOR } from '../../operations/actor.js';
import {
  addCamera,
  cameraSettings,
  cameraStatus,
  listDetected,
  removeCamera,
  restartPipeline,
  setCamera,
  setCameraOptions,
} from '../../operations/camera.js';
import { command, noArgs } from './command.js';

const num = z.number().int().min(0).max(CAMERA_LIMITS.cameras - 1);
// Ranges are checked by the camera schema (operations/camera.ts) so the messages match the panel's.
const cameraFields = {
  device: z.string().max(LIMITS.path).optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  fps: z.number().int().optional(),
  jpegQuality: z.number().int().optional(),
};

const defined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

export const cameraCommands = {
  'camera.list': command(noArgs, async (core) => {
    const settings = cameraSettings(core);
    const detected = await listDetected(core);
    const second = settings.cameras.length > 1 ? (settings.activeCamera + 1) % settings.cameras.length : null;
    const configured = settings.cameras.map((camera, index) => {
      const role = index === settings.activeCamera ? 'active' : index === second ? 'second' : '';
      return `${index}    ${camera.backend.padEnd(8)} ${camera.device.padEnd(14)} ${`${camera.width}x${camera.height}`.padEnd(10)} ${String(camera.fps).padEnd(4)} ${String(camera.jpegQuality).padEnd(7)} ${role}`;
    });
    const found = detected.map((camera) => `     ${camera.backend.padEnd(8)} ${camera.device.padEnd(14)} ${camera.model}`);
    return [
      'Configured cameras:',
      configured.length > 0 ? `NUM  BACKEND  DEVICE         RESOLUTION FPS  QUALITY ROLE\n${configured.join('\n')}` : '  none (the first start picks a detected camera, else the test source)',
      '',
      'Detected cameras:',
      found.length > 0 ? `     BACKEND  DEVICE         MODEL\n${found.join('\n')}` : '  none (no Raspberry Pi camera, no USB camera): the test source stands in',
      '',
    ].join('\n');
  }),

  'camera.add': command(z.strictObject({ backend: cameraBackendSchema, ...cameraFields }), async (core, args) => {
    const { num: added, camera } = addCamera(
      core,
      { device: defaultDevice(args.backend), ...DEFAULT_CAMERA, ...defined(args) },
      CLI_ACTOR,
    );
    return `Camera ${added} added: ${camera.backend} ${camera.device} ${camera.width}x${camera.height} at ${camera.fps} fps.\n`;
  }),

  'camera.set': command(z.strictObject({ num, backend: cameraBackendSchema.optional(), ...cameraFields }), async (core, { num: which, ...patch }) => {
    const camera = setCamera(core, which, defined(patch), CLI_ACTOR);
    return `Camera ${which}: ${camera.backend} ${camera.device} ${camera.width}x${camera.height} at ${camera.fps} fps, JPEG quality ${camera.jpegQuality}.\n`;
  }),

  'camera.remove': command(z.strictObject({ num }), async (core, { num: which }) => {
    const left = removeCamera(core, which, CLI_ACTOR);
    return `Camera ${which} removed; ${left.cameras.length} camera${left.cameras.length === 1 ? '' : 's'} left.\n`;
  }),

  'camera.options': command(
    z.strictObject({
      photoType: photoTypeSchema.optional(),
      rawType: rawTypeSchema.optional(),
      photoDir: z.string().max(LIMITS.path).optional(),
      idleTimeoutSeconds: z.number().int().min(0).max(CAMERA_LIMITS.maxIdleSeconds).optional(),
      requireAuthForStreaming: z.boolean().optional(),
      activeCamera: num.optional(),
    }),
    async (core, options) => {
      const stored = await setCameraOptions(core, defined(options), CLI_ACTOR);
      return (
        `Photo type ${stored.photoType}, raw type ${stored.rawType}, video type ${stored.videoType}; ` +
        `photo directory ${stored.photoDir || '(data directory)/photos'}; idle timeout ${stored.idleTimeoutSeconds} s; ` +
        `streaming ${stored.requireAuthForStreaming ? 'requires authentication' : 'is open to anyone who can reach the port'}; active camera ${stored.activeCamera}.\n`
      );
    },
  ),

  'camera.status': command(noArgs, async (core) => formatStatus(cameraStatus(core))),

  'camera.restart': command(noArgs, async (core) => formatStatus(await restartPipeline(core, CLI_ACTOR))),
} as const;

function formatStatus(state: PipelineState): string {
  const lines = [`Pipeline: ${pipelineLine(state)}`];
  for (const camera of state.cameras) {
    const what = `${camera.backend} ${camera.device} ${camera.width}x${camera.height}`;
    const running = camera.state === 'running' ? `, ${camera.fps} fps, ${camera.clients} client${camera.clients === 1 ? '' : 's'}` : '';
    lines.push(`Camera ${camera.num}: ${camera.state}${running}${camera.recording ? ', recording' : ''} (${what})${camera.error ? `: ${camera.error}` : ''}`);
    for (const line of camera.state === 'failed' ? camera.stderr.slice(-5) : []) lines.push(`  | ${line}`);
  }
  if (state.state === 'failed') for (const line of state.stderr.slice(-5)) lines.push(`  | ${line}`);
  return `${lines.join('\n')}\n`;
}

function pipelineLine(state: PipelineState): string {
  switch (state.state) {
    case 'restarting':
      return `restarting (attempt ${state.attempt}${state.nextTryAt ? `, next try at ${state.nextTryAt}` : ''})`;
    case 'failed':
      return `failed (${state.failedStage ?? 'worker'}: ${state.error ?? 'unknown error'})`;
    case 'stopped':
      return 'stopped (CamPanel is not running on this data directory: start it with `campanel serve` or the app)';
    default:
      return state.state;
  }
}
