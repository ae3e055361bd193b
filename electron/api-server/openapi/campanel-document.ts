/**
 * CamPanel's OpenAPI document: the raspiCamSrv dialect (/api, streams), the privacyIDEA dialect (/system)
 * and /openapi.json itself. GET /openapi.json serves it; `npm run openapi` writes docs/openapi.json from it;
 * campanel-document.test.ts fails when the committed file is not what this code produces.
 */
import { CAMPANEL_VERSION } from '../../core/version.js';
import { systemOperationDocs } from '../privacyidea/openapi-docs.js';
import { raspiCamSrvOperationDocs, withListenerAnswers } from '../raspicamsrv/openapi-docs.js';
import { buildOpenApiDocument, type OpenApiDocument } from './build-document.js';
import { openApiRouteDoc } from './openapi-route.js';
import type { OperationDoc } from './operation-doc.js';

const DESCRIPTION = [
  "CamPanel's HTTP API on one port: raspiCamSrv's JWT API under /api (wire-compatible with raspiCamSrv V4.10.0), " +
    'MJPEG streams and JPEG snapshots for other software, and privacyIDEA-style configuration endpoints under /system.',
  'Rules that hold for every URL and are not repeated per operation (docs/compatibility.md §3): every answer but a ' +
    'stream or snapshot is JSON; HEAD is answered for every GET; OPTIONS answers 200 with Allow and no body, without ' +
    'a token; another method on a known URL is 405 with Allow; an unknown URL is 404. raspiCamSrv\'s clients send ' +
    'JSON bodies with GET, and those are read like POST bodies.',
].join('\n\n');

export const CAMPANEL_TAGS: Readonly<Record<string, string>> = {
  auth: 'Log in and check tokens (raspiCamSrv).',
  camera: 'Photos, videos and status (raspiCamSrv).',
  streams: 'MJPEG streams and snapshots for Home Assistant, OctoPrint, browsers.',
  'System (privacyIDEA)': 'Server configuration, privacyIDEA style.',
  openapi: 'This document.',
};

/** Every documented operation. /system's get the listener's answers too: the listener serves every URL. */
export function campanelOperationDocs(): OperationDoc[] {
  const system = systemOperationDocs.map((op) => ({ ...op, responses: withListenerAnswers(op.responses) }));
  return [...raspiCamSrvOperationDocs, ...system, openApiRouteDoc];
}

let built: { version: string; document: OpenApiDocument } | null = null;

/** The document for `version` (default: this build's), built once per process: a listener restart reuses it. */
export function campanelOpenApiDocument(version: string = CAMPANEL_VERSION): OpenApiDocument {
  if (built?.version !== version) {
    built = { version, document: buildOpenApiDocument(campanelOperationDocs(), { title: 'CamPanel API', version, description: DESCRIPTION }, { tags: CAMPANEL_TAGS }) };
  }
  return built.document;
}
