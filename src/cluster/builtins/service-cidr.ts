/**
 * The Service CIDR ClusterIPs are allocated from (IPv4; network and broadcast addresses excluded,
 * like the real allocator's range).
 */
import { parseIp } from '../validation/names.js';

export const defaultServiceCIDR = '10.96.0.0/16';

const ipToInt = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export class ServiceCidr {
  readonly base: number;
  /** Allocatable addresses (network and broadcast excluded). */
  readonly size: number;
  constructor(readonly cidr: string) {
    const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
    const bits = m ? Number(m[2]) : -1;
    if (!m || parseIp(m[1]!)?.family !== 'IPv4' || bits < 8 || bits > 30)
      throw new Error(`"${cidr}" is not an IPv4 CIDR between /8 and /30 (e.g. 10.96.0.0/16)`);
    const total = 2 ** (32 - bits);
    this.base = Math.floor(ipToInt(m[1]!) / total) * total + 1;
    this.size = total - 2;
  }
  /** Offset of an IP in the allocatable range, or -1. */
  offset(ip: string): number {
    if (parseIp(ip)?.family !== 'IPv4') return -1;
    const o = ipToInt(ip) - this.base;
    return o >= 0 && o < this.size ? o : -1;
  }
  ip(offset: number): string {
    return intToIp(this.base + offset);
  }
}
