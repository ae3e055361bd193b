/** React glue for the preview player: refs for the stage, canvas and stats line; the connection in state. */
import { useEffect, useRef, useState } from 'react';
import { startPreviewPlayer } from './preview-player';
import type { PreviewConnection } from './preview-stream';

export function usePreview(url: string) {
  const stageRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const statsRef = useRef<HTMLSpanElement>(null);
  const [connection, setConnection] = useState<PreviewConnection>({ phase: 'connecting', attempt: 0 });

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    // Only phase changes reach React (a few per minute at most), never frames.
    return startPreviewPlayer({
      url,
      canvas,
      statsElement: statsRef.current,
      onConnection: setConnection,
      // The stage takes the frame's shape (16:9, 4:3); the CSS sizes it to fit the viewport.
      onSize: (width, height) => stageRef.current?.style.setProperty('--ratio', String(width / height)),
    });
  }, [url]);

  return { stageRef, canvasRef, statsRef, connection };
}
