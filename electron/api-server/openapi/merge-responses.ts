/**
 * Adds answers many operations share (the listener's 408, 503…) to an operation's own. Where both document
 * one status, the operation's stays first: descriptions are joined and the JSON schemas become
 * alternatives, so a check of a live answer accepts either.
 */
import { z } from 'zod';
import type { ResponseDoc } from './operation-doc.js';

type Body = z.ZodType | { binary: true };

export function mergeResponses(own: Readonly<Record<string, ResponseDoc>>, added: Readonly<Record<string, ResponseDoc>>): Record<string, ResponseDoc> {
  const out: Record<string, ResponseDoc> = { ...own };
  for (const [status, response] of Object.entries(added)) {
    const mine = out[status];
    out[status] = mine ? merge(mine, response) : response;
  }
  return out;
}

function merge(own: ResponseDoc, added: ResponseDoc): ResponseDoc {
  const content: Record<string, Body> = { ...own.content };
  for (const [type, schema] of Object.entries(added.content ?? {})) {
    const mine = content[type];
    if (mine === undefined) content[type] = schema;
    else if (!covers(mine, schema) && !('binary' in mine) && !('binary' in schema)) content[type] = z.union([mine, schema]);
  }
  const sentence = /[.!?"]$/.test(own.description) ? own.description : `${own.description}.`;
  // A merged answer is the operation's own: no shared name, its headers.
  return { description: `${sentence} Or: ${added.description}`, content, ...(own.headers ? { headers: own.headers } : {}) };
}

/** `schema` is `mine`, or one of its alternatives. */
const covers = (mine: Body, schema: Body): boolean => mine === schema || (mine instanceof z.ZodUnion && (mine.options as readonly unknown[]).includes(schema));
