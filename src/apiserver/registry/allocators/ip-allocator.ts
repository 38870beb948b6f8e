/**
 * ClusterIP allocation from the service CIDR (default 10.43.0.0/16): the network and broadcast addresses
 * are never handed out; the first usable address belongs to the `kubernetes` Service. The allocator is
 * rebuilt from the stored Services at start (the store is the record of what is allocated).
 */
import { ApiError } from '../../../api/errors.js';

export function ipToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return NaN;
  return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export class IpAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Set<number>();
  private next: number;

  constructor(readonly cidr = '10.43.0.0/16') {
    const [ip, bits] = cidr.split('/');
    const prefix = Number(bits);
    this.size = 2 ** (32 - prefix);
    this.base = ipToInt(ip!) & (prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0);
    this.next = 2;
  }

  contains(ip: string): boolean {
    const n = ipToInt(ip);
    return !Number.isNaN(n) && n > this.base && n < this.base + this.size - 1;
  }

  /** Marks `ip` as used; throws Invalid-style ApiError text via the returned reason when it is not free. */
  allocate(ip: string): 'ok' | 'taken' | 'out-of-range' {
    if (!this.contains(ip)) return 'out-of-range';
    const n = ipToInt(ip);
    if (this.used.has(n)) return 'taken';
    this.used.add(n);
    return 'ok';
  }

  /** The next free address (round robin, skipping the first one reserved for `kubernetes`). */
  allocateNext(): string {
    for (let i = 0; i < this.size - 3; i++) {
      const off = this.next;
      this.next = this.next + 1 >= this.size - 1 ? 2 : this.next + 1;
      const n = this.base + off;
      if (!this.used.has(n)) {
        this.used.add(n);
        return intToIp(n);
      }
    }
    throw new ApiError('InternalError', `Internal error occurred: failed to allocate a serviceIP: range is full`);
  }

  release(ip: string): void {
    this.used.delete(ipToInt(ip));
  }

  /** Forgets what it knew and takes `ips` as the allocated set (after other servers changed it). */
  resetTo(ips: string[]): void {
    this.used.clear();
    for (const ip of ips) if (this.contains(ip)) this.used.add(ipToInt(ip));
  }

  get allocated(): number {
    return this.used.size;
  }
}
