/**
 * The command line that starts one camera's MJPEG source, per backend. Async because v4l2 asks the
 * device what it offers and testsrc checks once whether a clock can be drawn.
 */
import { stat } from 'node:fs/promises';
import type { CameraSpec, ToolPaths } from '../protocol.js';
import { CLOCK_PROBE_ARGS, MISSING_TOOL, chooseV4l2Input, parseV4l2Formats, rpicamVidArgs, testsrcArgs, v4l2Args, v4l2ListFormatsArgs } from './backends.js';
import { runTool } from './child-process.js';

export interface SourceCommand {
  /** For messages: "ffmpeg", "rpicam-vid". */
  tool: string;
  command: string;
  args: string[];
}

/** A problem no retry can fix until the configuration changes (a tool that is not installed). */
export function configurationProblem(spec: CameraSpec, tools: ToolPaths): string | null {
  if (spec.backend === 'rpicam') return tools.rpicamVid === null ? MISSING_TOOL.rpicamVid : null;
  return tools.ffmpeg === null ? MISSING_TOOL.ffmpeg : null;
}

const clockSupport = new Map<string, Promise<boolean>>();

/** Whether this ffmpeg can draw text (drawtext built in and a font found); asked once per ffmpeg. */
export function ffmpegCanDrawClock(ffmpeg: string): Promise<boolean> {
  let answer = clockSupport.get(ffmpeg);
  if (!answer) {
    answer = runTool(ffmpeg, CLOCK_PROBE_ARGS, { timeoutMs: 5000 }).then((r) => r.code === 0 && r.error === null);
    clockSupport.set(ffmpeg, answer);
  }
  return answer;
}

/** Resolves to the command, or to an error in words (missing device, missing tool). */
export async function buildSourceCommand(spec: CameraSpec, tools: ToolPaths): Promise<SourceCommand | { error: string }> {
  if (spec.backend === 'rpicam') {
    return tools.rpicamVid === null ? { error: MISSING_TOOL.rpicamVid } : { tool: 'rpicam-vid', command: tools.rpicamVid, args: rpicamVidArgs(spec) };
  }
  const ffmpeg = tools.ffmpeg;
  if (ffmpeg === null) return { error: MISSING_TOOL.ffmpeg };
  if (spec.backend === 'testsrc') return { tool: 'ffmpeg', command: ffmpeg, args: testsrcArgs(spec, await ffmpegCanDrawClock(ffmpeg)) };
  try {
    await stat(spec.device);
  } catch {
    return { error: `no such device ${spec.device}` };
  }
  // Asked at every start: the camera may have been replaced by another model since.
  const probe = await runTool(ffmpeg, v4l2ListFormatsArgs(spec.device), { timeoutMs: 5000 });
  return { tool: 'ffmpeg', command: ffmpeg, args: v4l2Args(spec, chooseV4l2Input(parseV4l2Formats(probe.stderr))) };
}
