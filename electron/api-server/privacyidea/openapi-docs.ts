/**
 * The /system operations for the OpenAPI document, built from the schemas the handlers parse with
 * (schemas.ts) and the envelope schemas they answer in (envelope.ts).
 */
import { z } from 'zod';
import { nodeSchema } from '../../../shared/domain.js';
import { BODY_LIMIT_BYTES } from '../json-body.js';
import type { OperationDoc, ResponseDoc } from '../openapi/operation-doc.js';
import { piErrorSchema, piSuccessSchema, successDetailSchema } from './envelope.js';
import {
  configKeyParamSchema,
  hsmParamsSchema,
  randomParamsSchema,
  setConfigParamsSchema,
  setDefaultParamsSchema,
  testEmailParamsSchema,
  tokenTypeSchema,
} from './schemas.js';

const noCache = { 'Cache-Control': { description: 'Always no-cache', schema: z.literal('no-cache') } };

const ok = (description: string, value: z.ZodType, detail?: z.ZodType): ResponseDoc => ({
  description,
  content: { 'application/json': piSuccessSchema(value, detail) },
  headers: noCache,
});

const ERROR_DESCRIPTIONS: Record<string, string> = {
  400: 'A refused parameter (ERR905), setDefault usage (ERR77), the secrets file (ERR707: e.g. "hsm not ready!" while it is locked), or a body that is not JSON',
  401: 'No token (4033), a bad, revoked or refresh token or a user who no longer may log in (4304), an expired token (4305), or a token without the admin role (4306, detail {})',
  413: `The body is larger than ${BODY_LIMIT_BYTES / 1024} KiB`,
};

/** What any of the token-guarded operations may answer besides its success (parameters come from query and body alike). */
const refusals: Record<string, ResponseDoc> = Object.fromEntries(
  Object.entries(ERROR_DESCRIPTIONS).map(([status, description]) => [
    status,
    { description, content: { 'application/json': piErrorSchema }, headers: noCache },
  ]),
);

const withBody = (schema: z.ZodType, form: z.ZodType = schema): Record<string, z.ZodType> => ({
  'application/json': schema,
  'application/x-www-form-urlencoded': form,
});

const tags = ['System (privacyIDEA)'];
const AUTH = ['piAuthorization'] as OperationDoc['security'];
const ADMIN = ' Admin role only.';
const configValues = z.record(z.string(), z.string().nullable());
const writeOutcomes = z.record(z.string(), z.enum(['insert', 'update']));

export const systemOperationDocs: OperationDoc[] = [
  {
    method: 'get',
    path: '/system',
    operationId: 'systemRedirect',
    summary: 'Redirects to /system/',
    tags,
    security: ['none'],
    responses: {
      '308': { description: 'Permanent redirect to /system/', headers: { ...noCache, Location: { description: '/system/', schema: z.literal('/system/') } } },
    },
  },
  {
    method: 'get',
    path: '/system/',
    operationId: 'systemReadConfig',
    summary: 'Every config entry the caller may see',
    description:
      'Admins get every entry (password-typed values decrypted); users only entries typed public or whose key ends in .identifier, plus PrependPin, splitAtSign and IncFailCountOnFalsePin ("True" unless set).',
    tags,
    security: AUTH,
    responses: { '200': ok('key → value', configValues), ...refusals },
  },
  {
    method: 'get',
    path: '/system/{key}',
    operationId: 'systemReadConfigKey',
    summary: 'One config value',
    description: 'null when the key does not exist or the caller may not see it (never 404). Fixed routes such as /system/random win over a key of that name.',
    tags,
    security: AUTH,
    pathParams: { key: configKeyParamSchema },
    responses: { '200': ok('The value, or null', z.string().nullable()), ...refusals },
  },
  {
    method: 'delete',
    path: '/system/{key}',
    operationId: 'systemDeleteConfig',
    summary: 'Deletes a config entry',
    description: `true when an entry was deleted, false when there was none (never 404).${ADMIN}`,
    tags,
    security: AUTH,
    pathParams: { key: configKeyParamSchema },
    responses: { '200': ok('Whether an entry was deleted', z.boolean()), ...refusals },
  },
  {
    method: 'post',
    path: '/system/setConfig',
    operationId: 'systemSetConfig',
    summary: 'Writes config entries',
    description: `All of the request is written, or nothing of it. Query parameters count as entries too.${ADMIN}`,
    tags,
    security: AUTH,
    requestBody: withBody(setConfigParamsSchema, z.record(z.string(), z.string())),
    responses: { '200': ok('key → insert | update (metadata keys not listed)', writeOutcomes), ...refusals },
  },
  {
    method: 'post',
    path: '/system/setDefault',
    operationId: 'systemSetDefault',
    summary: 'Sets the defaults for logins and one-time passwords',
    description: `Keys are matched case-insensitively; values are validated and written all or none.${ADMIN}`,
    tags,
    security: AUTH,
    requestBody: withBody(setDefaultParamsSchema),
    responses: { '200': ok('canonical key → insert | update', writeOutcomes), ...refusals },
  },
  {
    method: 'get',
    path: '/system/documentation',
    operationId: 'systemDocumentation',
    summary: 'The configuration as reStructuredText, secrets censored',
    description: ADMIN.trim(),
    tags,
    security: AUTH,
    responses: {
      '200': {
        description: 'documentation.rst',
        content: { 'text/plain': z.string() },
        headers: { ...noCache, 'Content-Disposition': { description: 'attachment; filename=documentation.rst', schema: z.string() } },
      },
      ...refusals,
    },
  },
  {
    method: 'get',
    path: '/system/random',
    operationId: 'systemRandom',
    summary: 'Random bytes from the operating system, hex or base64',
    description: ADMIN.trim(),
    tags,
    security: AUTH,
    query: randomParamsSchema,
    responses: { '200': ok('The random bytes, encoded', z.string()), ...refusals },
  },
  {
    method: 'get',
    path: '/system/nodes',
    operationId: 'systemNodes',
    summary: 'This installation and the nodes an admin registered',
    description: ADMIN.trim(),
    tags,
    security: AUTH,
    responses: { '200': ok('Nodes', z.array(nodeSchema)), ...refusals },
  },
  {
    method: 'get',
    path: '/system/hsm',
    operationId: 'systemHsmStatus',
    summary: 'Whether the secrets file is unlocked',
    description: `${ADMIN} While a passphrase-protected secrets file is locked, answered without a token.`,
    tags,
    security: ['piAuthorization', 'none'],
    responses: { '200': ok('is_ready', z.strictObject({ is_ready: z.boolean() })), ...refusals },
  },
  {
    method: 'post',
    path: '/system/hsm',
    operationId: 'systemHsmUnlock',
    summary: 'Unlocks a passphrase-protected secrets file',
    description:
      'ERR905 without a password, ERR707 "HSM already set up." when there is nothing to unlock, ERR707 for a wrong passphrase or too many of them. ' +
      'While the file is locked no token can be checked: the passphrase is the credential (rate-limited per client address); otherwise admin role only.',
    tags,
    security: ['piAuthorization', 'none'],
    requestBody: withBody(hsmParamsSchema),
    responses: { '200': ok('Unlocked', z.strictObject({ is_ready: z.boolean() })), ...refusals },
  },
  {
    method: 'post',
    path: '/system/test/{tokentype}',
    operationId: 'systemTestTokenType',
    summary: 'Tests a token type’s configuration (email sends a real mail)',
    description: `Other known types answer false with "Not implemented"; an unknown type is ERR905.${ADMIN}`,
    tags,
    security: AUTH,
    pathParams: { tokentype: tokenTypeSchema },
    requestBody: withBody(testEmailParamsSchema),
    responses: { '200': ok('Whether the test passed; detail.message says what happened', z.boolean(), successDetailSchema), ...refusals },
  },
  {
    method: 'get',
    path: '/system/gpgkeys',
    operationId: 'systemGpgKeys',
    summary: 'GnuPG keys with a secret part in the configured GnuPG home',
    description: ADMIN.trim(),
    tags,
    security: AUTH,
    responses: {
      '200': ok('key id → armored public key and fingerprint', z.record(z.string(), z.strictObject({ armor: z.string(), fingerprint: z.string() }))),
      ...refusals,
    },
  },
  {
    method: 'get',
    path: '/system/names/radius',
    operationId: 'systemRadiusNames',
    summary: 'Identifiers of the configured RADIUS servers',
    tags,
    security: AUTH,
    responses: { '200': ok('Identifiers', z.array(z.string())), ...refusals },
  },
  {
    method: 'get',
    path: '/system/names/caconnector',
    operationId: 'systemCaConnectors',
    summary: 'The configured CA connectors (without their data)',
    tags,
    security: AUTH,
    responses: {
      '200': ok(
        'CA connectors',
        z.array(z.strictObject({ connectorname: z.string(), type: z.string(), data: z.strictObject({}), templates: z.record(z.string(), z.unknown()) })),
      ),
      ...refusals,
    },
  },
];
