import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { clientUrls, type Machine } from './client-urls.js';

const entry = (address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo =>
  ({ address, family, internal, netmask: '', mac: '', cidr: null, scopeid: 0 }) as NetworkInterfaceInfo;

const pi: Machine = {
  hostname: 'raspberrypi',
  interfaces: {
    lo: [entry('127.0.0.1', 'IPv4', true), entry('::1', 'IPv6', true)],
    wlan0: [entry('192.168.1.20', 'IPv4'), entry('fe80::1', 'IPv6')],
    eth0: [entry('10.0.0.5', 'IPv4'), entry('192.168.1.20', 'IPv4')],
  },
};

describe('clientUrls', () => {
  it('on every interface: loopback, the host name and each LAN address once', () => {
    expect(clientUrls('0.0.0.0', 5000, pi)).toEqual([
      'http://127.0.0.1:5000/api',
      'http://raspberrypi:5000/api',
      'http://192.168.1.20:5000/api',
      'http://10.0.0.5:5000/api',
    ]);
    expect(clientUrls('::', 8080, pi)[1]).toBe('http://raspberrypi:8080/api');
  });

  it('leaves out a host name no URL can carry', () => {
    expect(clientUrls('0.0.0.0', 5000, { hostname: 'localhost', interfaces: {} })).toEqual(['http://127.0.0.1:5000/api']);
    expect(clientUrls('0.0.0.0', 5000, { hostname: 'my pi', interfaces: {} })).toEqual(['http://127.0.0.1:5000/api']);
  });

  it('on one address: that address only', () => {
    expect(clientUrls('127.0.0.1', 5000, pi)).toEqual(['http://127.0.0.1:5000/api']);
    expect(clientUrls('192.168.1.20', 5000, pi)).toEqual(['http://192.168.1.20:5000/api']);
    expect(clientUrls('::1', 8080, pi)).toEqual(['http://[::1]:8080/api']);
  });
});
