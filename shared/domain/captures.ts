/**
 * Captures: the photos, raw photos and videos in the photo directory, as the panel's Captures screen
 * lists them. A capture is named by its id, "camera_<n>/<file name>", relative to the photo directory;
 * the schema refuses anything else (no "..", no slashes beyond the one, no hidden files), and the main
 * process checks again on disk that the resolved file is inside the photo directory.
 */
import { z } from 'zod';

export const CAPTURE_LIMITS = { pageSize: 200, maxPageSize: 500, nameLength: 128 } as const;

/** "camera_0/20261126_101500.jpg", "camera_1/20261126_101500_2.mp4". */
export const CAPTURE_ID_PATTERN = /^camera_(\d{1,2})\/([A-Za-z0-9][A-Za-z0-9_.-]{0,127})$/;

export const captureIdSchema = z
  .string()
  .max(140)
  .regex(CAPTURE_ID_PATTERN, 'A capture is camera_<n>/<file name>')
  .refine((id) => !id.includes('..'), 'A capture is camera_<n>/<file name>');

export const captureKindSchema = z.enum(['photo', 'raw', 'video']);
export type CaptureKind = z.infer<typeof captureKindSchema>;

/** File name endings per kind, lower case. */
export const CAPTURE_TYPES: Record<CaptureKind, readonly string[]> = {
  photo: ['jpg', 'jpeg', 'png'],
  raw: ['dng', 'tiff', 'tif'],
  video: ['mp4'],
};

export function captureKindOf(name: string): CaptureKind | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  const ext = name.slice(dot + 1).toLowerCase();
  for (const kind of captureKindSchema.options) if (CAPTURE_TYPES[kind].includes(ext)) return kind;
  return null;
}

export const captureEntrySchema = z.strictObject({
  id: captureIdSchema,
  camera: z.number().int().min(0),
  name: z.string(),
  kind: captureKindSchema,
  size: z.number().int().min(0),
  /** The file's modification time (ISO). */
  modifiedAt: z.string(),
  /** Videos: seconds, read from the MP4 header; null when unknown (photos, a damaged file). */
  durationSeconds: z.number().nullable(),
});
export type CaptureEntry = z.infer<typeof captureEntrySchema>;

export const listCapturesRequestSchema = z.strictObject({
  /** Only this camera's folder; absent = every camera. */
  camera: z.number().int().min(0).max(99).optional(),
  offset: z.number().int().min(0).max(1_000_000).optional(),
  limit: z.number().int().min(1).max(CAPTURE_LIMITS.maxPageSize).optional(),
});

export const captureListSchema = z.strictObject({
  /** Newest first. */
  items: z.array(captureEntrySchema),
  /** Matching files in all (for "Show more"). */
  total: z.number().int().min(0),
  /** Camera numbers that have a folder with captures, for the filter. */
  cameras: z.array(z.number().int().min(0)),
  /** The photo directory, absolute, for the screen's heading. */
  photoDir: z.string(),
});
export type CaptureList = z.infer<typeof captureListSchema>;

/** Where the panel page fetches a capture, its thumbnail and a camera's preview: same paths in both transports. */
export const mediaPaths = {
  capture: (id: string) => `media/captures/${id}`,
  download: (id: string) => `media/captures/${id}?download=1`,
  thumbnail: (id: string) => `media/thumbs/${id}`,
  preview: (camera: number) => `media/preview/${camera}`,
} as const;
