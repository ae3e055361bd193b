import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { CORRECT_MARKED_FIELDS, fieldErrorsOf, formErrorText, hasErrors } from './field-errors';

describe('field errors', () => {
  it('keeps the first message per top-level field', () => {
    const schema = z.object({ a: z.string().min(2, 'too short').regex(/x/, 'no x'), b: z.number() });
    const parsed = schema.safeParse({ a: 'y', b: 'nope' });
    expect(parsed.success).toBe(false);
    if (!parsed.success) {
      const fields = fieldErrorsOf(parsed.error);
      expect(fields.a).toBe('too short');
      expect(Object.keys(fields).sort()).toEqual(['a', 'b']);
      expect(hasErrors(fields)).toBe(true);
    }
    expect(hasErrors({})).toBe(false);
  });

  it('does not repeat a message already shown beside its field', () => {
    const message = '/data is a directory, not a file';
    expect(formErrorText({ code: 'invalid', message, fields: { secretsFilePath: message } })).toBe(CORRECT_MARKED_FIELDS);
    expect(formErrorText({ code: 'conflict', message: 'At least one administrator must remain' })).toBe(
      'At least one administrator must remain',
    );
  });
});
