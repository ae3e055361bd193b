import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LoginFailureLog, type LoginFailure } from './login-failure-log.js';

function setup(options: { windowMs?: number } = {}) {
  let now = 1_000_000;
  const lines: Array<{ fields: Record<string, unknown>; msg: string }> = [];
  const logger = { warn: (fields: Record<string, unknown>, msg: string) => lines.push({ fields, msg }) };
  const log = new LoginFailureLog(logger, { ...options, now: () => now });
  return { log, lines, advance: (ms: number) => (now += ms) };
}

const failure = (address: string, user = 'admin'): LoginFailure => ({ user, address, reason: 'wrong password', via: 'api-login' });

describe('LoginFailureLog', () => {
  it('writes a failure with the name as sent, the address, the reason and the way in', () => {
    const { log, lines } = setup();
    log.record({ user: 'Admin ', address: '192.0.2.7', reason: 'unknown user', via: 'stream-basic' });
    expect(lines).toEqual([
      { fields: { op: 'api.login', user: 'Admin ', address: '192.0.2.7', reason: 'unknown user', via: 'stream-basic' }, msg: 'network login failed' },
    ]);
  });

  it('writes 5 a minute per client, then one summary line at the end of the minute', () => {
    const { log, lines, advance } = setup();
    for (let i = 0; i < 500; i += 1) log.record(failure('192.0.2.7'));
    expect(lines).toHaveLength(5);
    advance(60_000);
    log.record(failure('192.0.2.7'));
    expect(lines).toHaveLength(7);
    expect(lines[5]).toEqual({
      fields: { op: 'api.login', leftOut: 495, clients: 1, top: [{ client: '192.0.2.7', failures: 495 }], windowSeconds: 60 },
      msg: 'network login failures not logged one by one',
    });
    expect(lines[6]?.fields).toMatchObject({ address: '192.0.2.7' }); // a new minute, a new budget
  });

  it('writes 20 a minute in all, whatever the number of clients, naming the 5 with most failures', () => {
    const { log, lines } = setup();
    for (let i = 0; i < 1000; i += 1) log.record(failure(`10.0.${i % 200}.1`));
    for (let i = 0; i < 10; i += 1) log.record(failure('10.0.0.1'));
    expect(lines).toHaveLength(20);
    log.flush();
    expect(lines).toHaveLength(21);
    const summary = lines[20]?.fields;
    expect(summary).toMatchObject({ leftOut: 990, clients: 200 });
    expect(summary?.['top']).toHaveLength(5);
    expect((summary?.['top'] as unknown[])[0]).toEqual({ client: '10.0.0.1', failures: 14 });
  });

  it('cuts an overlong name', () => {
    const { log, lines } = setup();
    log.record(failure('192.0.2.7', 'n'.repeat(10_000)));
    expect(String(lines[0]?.fields['user'])).toHaveLength(81);
  });

  it('writes the summary by itself when the minute ends, with no further failure', async () => {
    const lines: unknown[] = [];
    const log = new LoginFailureLog({ warn: (fields) => lines.push(fields) }, { perClientPerMinute: 1, windowMs: 50 });
    log.record(failure('192.0.2.7'));
    log.record(failure('192.0.2.7'));
    expect(lines).toHaveLength(1);
    await sleep(150);
    expect(lines).toEqual([expect.anything(), expect.objectContaining({ leftOut: 1 })]);
  });
});
