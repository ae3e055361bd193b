import type { z } from 'zod';
import type { ErrorCode, PanelErrorBody } from '../../shared/contract.js';

/**
 * An error the panel can show as it is: a code from the contract, a message for people,
 * and optionally the form fields it concerns. Anything else thrown by a handler is reported
 * as "internal" without its text.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  toBody(): PanelErrorBody {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

/*
 * zod's refusals in people's words, in one place. zod 4's prettifyError gives several lines per error;
 * the panel wants one message per form field and the command line one line.
 */

/** First message per top-level field, for showing beside form fields; unknown keys are "Unknown field". */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    // The full path ("cameras.0.width"), so a nested form can put the message beside its field.
    const at = issue.path.map(String);
    const key = at.length > 0 ? at.join('.') : '_';
    if (issue.code === 'unrecognized_keys') {
      for (const extra of issue.keys) fields[[...at, extra].join('.')] ??= 'Unknown field';
      continue;
    }
    fields[key] ??= issue.message;
  }
  return fields;
}

/** The first problem: where (a dotted path, '' at the top level) and what. */
export function firstIssue(error: z.ZodError): { path: string; message: string } {
  const issue = error.issues[0];
  return { path: issue ? issue.path.map(String).join('.') : '', message: issue?.message ?? 'Not valid' };
}

/** A refused value as a DomainError: the first field's message, with every field's message for the form. */
export function refusal(code: ErrorCode, error: z.ZodError): DomainError {
  const fields = fieldErrors(error);
  return new DomainError(code, Object.values(fields)[0] ?? 'Invalid request', fields);
}
