/**
 * The panel page's media, the same for both transports (the headless panel's HTTP and Electron's
 * `campanel://` protocol): `media/captures/<id>` (the file, ranges for <video> seeking, `?download=1`),
 * `media/thumbs/<id>` (the cached JPEG) and `media/preview/<camera>` (the pull-based preview). Core code:
 * no `electron` import. Who may ask is the caller's business (panel session, logged-in window).
 */
import { DomainError } from '../core/errors.js';
import type { ErrorCode } from '../../shared/contract.js';
import { fileResponse, jsonError } from './file-response.js';
import { parseMediaTarget } from './media-path.js';
import { PREVIEW_HEADERS, previewRefusal, previewStream, type PreviewCamera, type PreviewOptions } from './preview-stream.js';

/** What the capture store (electron/captures) gives the media routes. */
export interface CaptureFile {
  path: string;
  size: number;
  mtimeMs: number;
  kind: 'photo' | 'raw' | 'video';
  contentType: string;
  name: string;
}

export interface CaptureFiles {
  /** The file behind an id, checked on disk to be inside the photo directory; DomainError bad_request / not_found. */
  resolve(id: string): Promise<CaptureFile>;
  /** The cached thumbnail, made on first use; DomainError unsupported when the capture has no preview. */
  thumbnail(id: string): Promise<{ path: string; contentType: 'image/jpeg' }>;
}

/** A request as either transport has it. */
export interface MediaRequest {
  method: string;
  /** Path and query as sent, still percent-encoded: "/media/captures/camera_0/x.jpg?download=1". */
  target: string;
  range: string | null;
}

export interface MediaLogger {
  error(object: object, message: string): void;
}

/** Thumbnails are made once per capture and never change under their URL; the files themselves are not cached. */
export const THUMB_CACHE = 'private, max-age=86400';
export const FILE_CACHE = 'private, no-store';

/** Fixed words per refusal: a store's message might name the file or the directory, which is never echoed. */
const REFUSALS: Partial<Record<ErrorCode, [number, string]>> = {
  bad_request: [400, 'A capture is camera_<n>/<file name>'],
  not_found: [404, 'Not found'],
  unsupported: [501, 'This capture has no thumbnail'],
};

export const toMediaRequest = (request: Request): MediaRequest => {
  const url = new URL(request.url);
  return { method: request.method, target: `${url.pathname}${url.search}`, range: request.headers.get('range') };
};

export class MediaHandler {
  readonly #aborter = new AbortController();

  constructor(
    private readonly captures: CaptureFiles,
    /** null where the transport serves previews itself (the headless panel paces them by its sockets). */
    private readonly camera: PreviewCamera | null,
    private readonly logger: MediaLogger,
  ) {}

  /** Answers a media request; never throws, errors are `{error}` JSON. */
  async handle(request: MediaRequest, preview: Pick<PreviewOptions, 'allowed'> = {}): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return jsonError(405, 'Method not allowed', { Allow: 'GET, HEAD' });
    const parsed = parseMediaTarget(request.target);
    if (!parsed.ok) return jsonError(parsed.status, parsed.message);
    const { target } = parsed;
    try {
      if (target.kind === 'preview') {
        if (!this.camera) return jsonError(404, 'Not found');
        const refused = previewRefusal(this.camera, target.camera);
        if (refused) return jsonError(...refused);
        if (request.method === 'HEAD') return new Response(null, { status: 200, headers: PREVIEW_HEADERS });
        const body = previewStream(this.camera, target.camera, { ...preview, signal: this.#aborter.signal });
        return new Response(body, { status: 200, headers: PREVIEW_HEADERS });
      }
      if (target.kind === 'thumb') {
        const thumb = await this.captures.thumbnail(target.id);
        return await fileResponse({ path: thumb.path, contentType: thumb.contentType, downloadName: null, cacheControl: THUMB_CACHE }, request);
      }
      const file = await this.captures.resolve(target.id);
      const downloadName = target.download ? file.name : null;
      return await fileResponse({ path: file.path, contentType: file.contentType, downloadName, cacheControl: FILE_CACHE }, request);
    } catch (error) {
      return this.#failure(error);
    }
  }

  /** Ends every open preview (the app is quitting). */
  close(): void {
    this.#aborter.abort();
  }

  #failure(error: unknown): Response {
    if (error instanceof DomainError) {
      const refusal = REFUSALS[error.code];
      if (refusal) return jsonError(...refusal);
    }
    const code = (error as NodeJS.ErrnoException | null)?.code;
    // The file went away between the store's check and the open.
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return jsonError(404, 'Not found');
    this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'media request failed');
    return jsonError(500, 'Internal error');
  }
}
