import { describe, expect, it } from 'vitest';
import { refusalPlan } from './refusal';

type ChangeField = 'currentPassword' | 'newPassword' | 'repeat';
const ORDER: ChangeField[] = ['currentPassword', 'newPassword', 'repeat'];
const plan = (errors: Record<string, string>) => refusalPlan<ChangeField>(errors, ORDER, ORDER, { repeat: 'newPassword' });

describe('refusalPlan', () => {
  it('a wrong current password: only it is emptied and focused; the new password and its repetition stay', () => {
    expect(plan({ currentPassword: 'Wrong password' })).toEqual({ focus: 'currentPassword', clear: ['currentPassword'] });
  });

  it('a new password that is too short goes with its repetition', () => {
    expect(plan({ newPassword: 'At least 8 characters' })).toEqual({ focus: 'newPassword', clear: ['newPassword', 'repeat'] });
  });

  it('a repetition that differs: only the repetition', () => {
    expect(plan({ repeat: 'The passwords do not match' })).toEqual({ focus: 'repeat', clear: ['repeat'] });
  });

  it('the first wrong field in form order is focused; a name is never emptied', () => {
    type FirstRun = 'name' | 'password' | 'repeat';
    const result = refusalPlan<FirstRun>({ repeat: 'x', name: 'y' }, ['name', 'password', 'repeat'], ['password', 'repeat'], { repeat: 'password' });
    expect(result).toEqual({ focus: 'name', clear: ['repeat'] });
  });

  it('an error that names no field keeps everything and focuses nothing', () => {
    expect(plan({})).toEqual({ focus: null, clear: [] });
  });
});
