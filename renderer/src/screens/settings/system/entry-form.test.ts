import { describe, expect, it } from 'vitest';
import type { ConfigEntryView } from '../../../../../shared/domain';
import { EMPTY_ENTRY, KEY_EXISTS, RETYPE_VALUE, checkEntryForm, toEntryValues } from './entry-form';

const stored: ConfigEntryView = { key: 'mail.relay', value: null, type: 'password', desc: 'Relay', masked: true };
const plain: ConfigEntryView = { key: 'site', value: 'garden', type: 'public', desc: '', masked: false };
const adding = { editing: null, existingKeys: ['mail.relay', 'site'], passwordsUnavailable: null };

describe('config entry form', () => {
  it('adds an entry, trimming key, type and description but never the value', () => {
    const result = checkEntryForm({ key: ' retention ', value: ' 30 ', type: ' int ', desc: ' Days ' }, adding);
    expect(result).toEqual({ ok: true, entry: { key: 'retention', value: ' 30 ', type: 'int', desc: 'Days' } });
  });

  it('refuses a key the contract refuses, and one that exists already', () => {
    expect(checkEntryForm({ ...EMPTY_ENTRY, key: 'a b' }, adding)).toEqual({ ok: false, fields: { key: 'A key has no spaces, slashes, ?, # or %' } });
    expect(checkEntryForm({ ...EMPTY_ENTRY, key: 'x.type' }, adding)).toMatchObject({ ok: false, fields: { key: expect.stringMatching(/\.type or \.desc/) } });
    expect(checkEntryForm({ ...EMPTY_ENTRY, key: 'site' }, adding)).toEqual({ ok: false, fields: { key: KEY_EXISTS } });
    expect(checkEntryForm({ ...EMPTY_ENTRY, key: '' }, adding)).toEqual({ ok: false, fields: { key: 'Enter a key' } });
  });

  it('starts a password edit blank and keeps the stored value when left blank (value null)', () => {
    const values = toEntryValues(stored);
    expect(values).toEqual({ key: 'mail.relay', value: '', type: 'password', desc: 'Relay' });
    const context = { ...adding, editing: stored };
    expect(checkEntryForm({ ...values, desc: 'New' }, context)).toEqual({ ok: true, entry: { key: 'mail.relay', value: null, type: 'password', desc: 'New' } });
    expect(checkEntryForm({ ...values, value: 'new-secret' }, context)).toEqual({
      ok: true,
      entry: { key: 'mail.relay', value: 'new-secret', type: 'password', desc: 'Relay' },
    });
  });

  it('edits under the stored key whatever the key field holds, and may empty a plain value', () => {
    const context = { ...adding, editing: plain };
    expect(checkEntryForm({ ...toEntryValues(plain), key: 'other', value: '' }, context)).toEqual({
      ok: true,
      entry: { key: 'site', value: '', type: 'public', desc: '' },
    });
  });

  it('wants the value typed when a password stops being one', () => {
    const context = { ...adding, editing: stored };
    expect(checkEntryForm({ ...toEntryValues(stored), type: 'string' }, context)).toEqual({ ok: false, fields: { value: RETYPE_VALUE } });
  });

  it('refuses a password value while passwords are unavailable, beside the type', () => {
    const why = 'The secrets file is locked';
    const result = checkEntryForm({ key: 'new', value: 'x', type: 'password', desc: '' }, { ...adding, passwordsUnavailable: why });
    expect(result).toEqual({ ok: false, fields: { type: why } });
    // Keeping the stored password writes no password value: a description can still change.
    const keep = checkEntryForm({ ...toEntryValues(stored), desc: 'New' }, { ...adding, editing: stored, passwordsUnavailable: why });
    expect(keep.ok).toBe(true);
    // Other types are not concerned.
    expect(checkEntryForm({ key: 'new', value: 'x', type: 'string', desc: '' }, { ...adding, passwordsUnavailable: why }).ok).toBe(true);
  });
});
