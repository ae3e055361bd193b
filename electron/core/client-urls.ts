/**
 * The URLs the green banner and `serve` list: every one a client can use. A listener on every interface
 * (0.0.0.0, raspiCamSrv's default, so that LAN clients reach it) answers on the machine's host name, on
 * each LAN address and on loopback; a listener on one address answers there only. Each URL is the API's
 * base, `http://host:port/api`, which answers GET with a short JSON index.
 */
import { hostname, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

export interface Machine {
  hostname: string;
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
}

const thisMachine = (): Machine => ({ hostname: hostname(), interfaces: networkInterfaces() });

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

const base = (host: string, port: number): string => `http://${host.includes(':') ? `[${host}]` : host}:${port}/api`;

/** A host name a URL can carry (no spaces, no empty label); "localhost" adds nothing to 127.0.0.1. */
const usableHostname = (name: string): boolean => /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(name) && name !== 'localhost';

export function clientUrls(host: string, port: number, machine: Machine = thisMachine()): string[] {
  if (!WILDCARDS.has(host)) return [base(host, port)];
  const hosts = ['127.0.0.1'];
  if (usableHostname(machine.hostname)) hosts.push(machine.hostname);
  for (const entries of Object.values(machine.interfaces)) {
    for (const entry of entries ?? []) {
      // IPv4 only: a link-local IPv6 address needs a zone id no client would type.
      if (entry.family === 'IPv4' && !entry.internal && !hosts.includes(entry.address)) hosts.push(entry.address);
    }
  }
  return hosts.map((address) => base(address, port));
}
