/**
 * The client a network login limit is kept for. An IPv4 address is one client; an IPv6 host usually owns a
 * whole /64 (SLAAC, privacy addresses) and can pick a fresh address per request, so IPv6 is limited per /64
 * prefix. IPv4-mapped IPv6 addresses (`::ffff:192.0.2.7`, as a dual-stack socket reports IPv4 peers) are
 * the IPv4 address.
 */
import { isIPv4, isIPv6 } from 'node:net';

export function limitedClient(address: string): string {
  const bare = address.split('%')[0] ?? address; // an IPv6 zone ("fe80::1%eth0") names our interface, not the peer
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped?.[1] && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(bare)) return address;
  const groups = ipv6Groups(bare);
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, as lower-case hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  const parse = (part: string): string[] => {
    if (part === '') return [];
    return part.split(':').flatMap((group) => {
      if (!group.includes('.')) return [group];
      const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number); // an embedded IPv4 tail: two groups
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  };
  const [head = '', tail] = address.split('::');
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16).toString(16));
}
