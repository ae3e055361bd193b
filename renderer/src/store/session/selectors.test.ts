import { describe, expect, it } from 'vitest';
import { currentUser, gateScreen, isAdmin, roleLabel } from './selectors';

const base = { session: null, loading: false, loadError: null, linkExpired: false };
const admin = { name: 'ann', role: 'admin' as const, initial: false, locked: false };

describe('session selectors', () => {
  it('shows loading until the first answer', () => {
    expect(gateScreen(base)).toBe('loading');
  });

  it('shows the phase the server reports', () => {
    for (const phase of ['firstRun', 'login', 'changePassword', 'ready'] as const) {
      expect(gateScreen({ ...base, session: { phase, user: null } })).toBe(phase);
    }
  });

  it('puts an expired panel link above everything', () => {
    expect(gateScreen({ ...base, linkExpired: true, session: { phase: 'ready', user: admin } })).toBe('linkExpired');
  });

  it('says unreachable when the first load failed', () => {
    expect(gateScreen({ ...base, loadError: { code: 'internal', message: 'x' } })).toBe('unreachable');
  });

  it('treats only a ready admin as admin', () => {
    expect(isAdmin({ ...base, session: { phase: 'ready', user: admin } })).toBe(true);
    expect(isAdmin({ ...base, session: { phase: 'changePassword', user: admin } })).toBe(false);
    expect(isAdmin({ ...base, session: { phase: 'ready', user: { ...admin, role: 'user' } } })).toBe(false);
    expect(currentUser(base)).toBeNull();
    expect(roleLabel('admin')).toBe('Administrator');
    expect(roleLabel('user')).toBe('User');
  });
});
