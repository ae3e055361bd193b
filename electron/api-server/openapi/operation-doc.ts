/**
 * One HTTP operation as the OpenAPI document describes it. Each dialect exports a list of these next to its
 * routes, built from the same zod schemas its handlers parse with, so the document (GET /openapi.json and the
 * committed docs/openapi.json) cannot drift from what the server does; the black-box tests validate every live
 * response against it.
 */
import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'delete';

/** How a caller authenticates: raspiCamSrv's bearer JWT, privacyIDEA's header JWT, a stream's Basic/?token=, or none. */
export type SecurityKind = 'bearer' | 'piAuthorization' | 'streamAuth' | 'none';

export interface ResponseDoc {
  description: string;
  /** Content type → body schema; a string schema for text, absent for a body the document does not model (binary). */
  content?: Record<string, z.ZodType | { binary: true }>;
  headers?: Record<string, { description: string; schema: z.ZodType }>;
  /**
   * An answer many operations share (the listener's 408, 431…): the document lists it once under
   * components/responses/<name> and refers to it. The same name must always describe the same answer.
   */
  name?: string;
}

export interface OperationDoc {
  method: HttpMethod;
  /** OpenAPI path template, e.g. /system/{key}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: SecurityKind[];
  /** Path parameters by name. */
  pathParams?: Record<string, z.ZodType>;
  /** Query parameters (an object schema: each property becomes one parameter). */
  query?: z.ZodObject;
  /** Request body: content type → schema. */
  requestBody?: Record<string, z.ZodType>;
  /** The body may be left out (raspiCamSrv's record_video* take an optional one); by default a documented body is required. */
  requestBodyOptional?: boolean;
  /** Status code → response. */
  responses: Record<string, ResponseDoc>;
}
