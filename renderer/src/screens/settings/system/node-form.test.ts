import { describe, expect, it } from 'vitest';
import { OWN_UUID, UUID_EXAMPLE, UUID_TAKEN, checkNodeForm } from './node-form';

const known = {
  node: { name: 'campanel', uuid: '8f0c2a4e-5b1d-4c3e-9a7f-2d6b1e0c9a11' },
  registered: [{ name: 'north', uuid: '6fa459ea-ee8a-4ca4-894e-db77e160355e' }],
};

describe('register node form', () => {
  it('trims the name and lower-cases the UUID', () => {
    expect(checkNodeForm('  south ', ` ${UUID_EXAMPLE.toUpperCase()} `, known)).toEqual({ ok: true, node: { name: 'south', uuid: UUID_EXAMPLE } });
  });

  it('offers an example UUID the contract accepts', () => {
    expect(checkNodeForm('x', UUID_EXAMPLE, known).ok).toBe(true);
  });

  it('refuses a blank name, a malformed UUID, this node and a registered one', () => {
    expect(checkNodeForm(' ', 'nope', known)).toMatchObject({ ok: false, fields: { name: 'Enter a name', uuid: expect.stringMatching(/^Enter a UUID/) } });
    expect(checkNodeForm('me', known.node.uuid.toUpperCase(), known)).toEqual({ ok: false, fields: { uuid: OWN_UUID } });
    expect(checkNodeForm('again', known.registered[0]!.uuid, known)).toEqual({ ok: false, fields: { uuid: UUID_TAKEN } });
  });
});
