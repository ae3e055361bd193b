/** mergeResponses: an operation's answers plus shared ones, one status documented by both merged. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { mergeResponses } from './merge-responses.js';
import type { ResponseDoc } from './operation-doc.js';

const error = z.object({ error: z.string() });
const message = z.object({ message: z.string() });
const shared: ResponseDoc = { name: 'Busy', description: 'The listener is busy.', content: { 'application/json': error } };

describe('mergeResponses', () => {
  it('adds a shared answer for a status the operation does not document, as it is (its name kept)', () => {
    const merged = mergeResponses({ '200': { description: 'ok' } }, { '503': shared });
    expect(Object.keys(merged)).toEqual(['200', '503']);
    expect(merged['503']).toBe(shared);
  });

  it('merges one status documented by both: descriptions joined, schemas as alternatives, the operation’s headers, no name', () => {
    const headers = { 'Retry-After': { description: 's', schema: z.string() } };
    const merged = mergeResponses({ '503': { description: 'The camera is not running', content: { 'application/json': message }, headers } }, { '503': shared })['503'];
    expect(merged?.description).toBe('The camera is not running. Or: The listener is busy.');
    expect(merged?.name).toBeUndefined();
    expect(merged?.headers).toBe(headers);
    const schema = merged?.content?.['application/json'];
    expect(schema).toBeInstanceOf(z.ZodUnion);
    expect((schema as z.ZodUnion).options).toEqual([message, error]);
  });

  it('adds no alternative the operation’s schema already is or has', () => {
    const same = mergeResponses({ '400': { description: 'Bad body.', content: { 'application/json': error } } }, { '400': shared })['400'];
    expect(same?.content?.['application/json']).toBe(error);
    const either = z.union([message, error]);
    const covered = mergeResponses({ '400': { description: 'Bad.', content: { 'application/json': either } } }, { '400': shared })['400'];
    expect(covered?.content?.['application/json']).toBe(either);
  });

  it('keeps a binary body, and adds the shared content type beside it', () => {
    const merged = mergeResponses({ '200': { description: 'A JPEG.', content: { 'image/jpeg': { binary: true } } } }, { '200': shared })['200'];
    expect(merged?.content).toEqual({ 'image/jpeg': { binary: true }, 'application/json': error });
  });
});
