/**
 * GET /openapi.json on the API port: the document, open to anyone (it describes the API, it holds nothing of
 * this installation). Serialised once per listener start and sent as a Buffer; `no-cache` so that a client
 * revalidates after an update. OPTIONS, HEAD and the other methods follow the port's rules
 * (docs/compatibility.md §3.6), as every other URL here does.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { registerRoutes } from '../raspicamsrv/index.js';
import { withListenerAnswers } from '../raspicamsrv/openapi-docs.js';
import type { OperationDoc } from './operation-doc.js';

export const OPENAPI_PATH = '/openapi.json';

export function registerOpenApiRoute(app: FastifyInstance, document: object): void {
  const body = Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
  registerRoutes(app, [
    {
      method: 'GET',
      url: OPENAPI_PATH,
      handler: (_request, reply) => {
        reply.code(200).header('content-type', 'application/json').header('cache-control', 'no-cache').send(body);
      },
    },
  ]);
}

export const openApiRouteDoc: OperationDoc = {
  method: 'get',
  path: OPENAPI_PATH,
  operationId: 'openApiDocument',
  summary: 'This document',
  description: 'The OpenAPI 3.1 description of every endpoint on this port; the same as docs/openapi.json of the running version.',
  tags: ['openapi'],
  security: ['none'],
  responses: withListenerAnswers({
    '200': {
      description: 'The document.',
      content: {
        'application/json': z.looseObject({
          openapi: z.literal('3.1.0'),
          info: z.looseObject({ title: z.string(), version: z.string() }),
          paths: z.record(z.string(), z.unknown()),
        }),
      },
      headers: { 'Cache-Control': { description: '"no-cache": revalidate after an update.', schema: z.literal('no-cache') } },
    },
  }),
};
