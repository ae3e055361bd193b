/**
 * The /system operation docs say what the server does: every live answer (successes and refusals) parses
 * with the schema documented for its status, every route is documented, and every schema converts to
 * JSON Schema for the OpenAPI document.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { http } from '../../test-support/api-test-kit.js';
import type { OperationDoc } from '../openapi/operation-doc.js';
import { systemOperationDocs } from './openapi-docs.js';
import { type SystemServer, useSystemServer } from './test-system-kit.js';

interface Probe {
  as: 'admin' | 'bob' | null;
  query?: string;
  body?: Record<string, string>;
  pathValues?: Record<string, string>;
}

/** Requests that make each operation answer its success and its refusals. */
const PROBES: Record<string, Probe[]> = {
  systemRedirect: [{ as: null }],
  systemReadConfig: [{ as: 'admin' }, { as: 'bob' }, { as: null }],
  systemReadConfigKey: [{ as: 'admin', pathValues: { key: 'splitAtSign' } }, { as: 'bob', pathValues: { key: 'missing' } }],
  systemDeleteConfig: [{ as: 'admin', pathValues: { key: 'missing' } }, { as: 'bob', pathValues: { key: 'x' } }],
  systemSetConfig: [{ as: 'admin', body: { a: '1' } }, { as: 'bob', body: { a: '1' } }],
  systemSetDefault: [{ as: 'admin', body: { DefaultOtpLen: '6' } }, { as: 'admin', body: { other: '1' } }],
  systemDocumentation: [{ as: 'admin' }, { as: 'bob' }],
  systemRandom: [{ as: 'admin', query: '?len=16&encode=b64' }, { as: 'admin', query: '?len=0' }],
  systemNodes: [{ as: 'admin' }],
  systemHsmStatus: [{ as: 'admin' }],
  systemHsmUnlock: [{ as: 'admin', body: { password: 'x' } }, { as: 'admin' }],
  systemTestTokenType: [
    { as: 'admin', pathValues: { tokentype: 'email' }, body: { 'email.mailserver': 'mail.example' } },
    { as: 'admin', pathValues: { tokentype: 'hotp' } },
    { as: 'admin', pathValues: { tokentype: 'nosuch' } },
  ],
  systemGpgKeys: [{ as: 'admin' }, { as: 'bob' }],
  systemRadiusNames: [{ as: 'bob' }],
  systemCaConnectors: [{ as: 'bob' }],
};

describe('systemOperationDocs', () => {
  let server: SystemServer;
  useSystemServer((run) => ({ server } = run));

  it('one operation per method and path, with unique operation ids, each probed here', () => {
    const ids = systemOperationDocs.map((doc) => doc.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(systemOperationDocs.map((doc) => `${doc.method} ${doc.path}`)).size).toBe(ids.length);
    expect(ids.sort()).toEqual(Object.keys(PROBES).sort());
  });

  it.each(systemOperationDocs.map((doc) => [doc.operationId, doc] as const))('%s: live answers match the documented schemas', async (_id, doc: OperationDoc) => {
    for (const probe of PROBES[doc.operationId] ?? []) {
      const path = doc.path.replace(/\{(\w+)\}/g, (_match, name: string) => probe.pathValues?.[name] ?? 'x');
      const headers: Record<string, string> = probe.as ? { 'pi-authorization': await server.token(probe.as) } : {};
      const options = probe.body ? { headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(probe.body) } : { headers };
      const answer = await http(server.baseUrl, doc.method.toUpperCase(), `${path}${probe.query ?? ''}`, options);
      const response = doc.responses[String(answer.status)];
      expect(response, `${doc.operationId} answered ${answer.status}, which is not documented`).toBeDefined();
      const contentType = String(answer.headers['content-type'] ?? '').split(';')[0] ?? '';
      const schema = response?.content?.[contentType];
      if (response?.content === undefined) {
        expect(answer.body).toBe('');
        continue;
      }
      expect(schema, `${doc.operationId} ${answer.status} ${contentType}`).toBeDefined();
      const body: unknown = contentType === 'application/json' ? JSON.parse(answer.body) : answer.body;
      const parsed = (schema as z.ZodType).safeParse(body);
      expect(parsed.success, `${doc.operationId} ${answer.status}: ${parsed.error?.message ?? ''}\n${answer.body}`).toBe(true);
      for (const name of Object.keys(response?.headers ?? {})) expect(answer.headers[name.toLowerCase()], `${doc.operationId} header ${name}`).toBeDefined();
    }
  });

  it('every schema converts to JSON Schema, both as input and as output', () => {
    const schemas: z.ZodType[] = [];
    for (const doc of systemOperationDocs) {
      schemas.push(...Object.values(doc.pathParams ?? {}), ...Object.values(doc.requestBody ?? {}));
      if (doc.query) schemas.push(doc.query);
      for (const response of Object.values(doc.responses)) {
        for (const content of Object.values(response.content ?? {})) if (!('binary' in content)) schemas.push(content as z.ZodType);
        for (const header of Object.values(response.headers ?? {})) schemas.push(header.schema);
      }
    }
    for (const schema of schemas) {
      expect(() => z.toJSONSchema(schema, { io: 'input' })).not.toThrow();
      expect(() => z.toJSONSchema(schema, { io: 'output' })).not.toThrow();
    }
  });
});
