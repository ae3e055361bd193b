import { describe, expect, it } from 'vitest';
import { limitedClient } from './client-address.js';

describe('limitedClient', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::FFFF:10.0.0.1', '10.0.0.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.7', '64:ff9b:0:0::/64'],
    ['local', 'local'],
    ['', ''],
  ])('%s → %s', (address, client) => {
    expect(limitedClient(address)).toBe(client);
  });

  it('puts every address of one /64 together and different /64s apart', () => {
    expect(limitedClient('2001:db8:a:b::1')).toBe(limitedClient('2001:db8:a:b:ffff:1:2:3'));
    expect(limitedClient('2001:db8:a:b::1')).not.toBe(limitedClient('2001:db8:a:c::1'));
  });
});
