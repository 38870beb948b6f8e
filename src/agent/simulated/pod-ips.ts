/**
 * Pod IPs of one simulated node, handed out from its pod CIDR the way CNI's host-local IPAM does: the
 * first address is the network, the second the bridge gateway, the last the broadcast; the rest go to
 * pods in turn (round robin, so a freed IP is not reused at once). IPv4 only.
 *
 * Contract: `allocate(key)` returns the IP already held by `key` or a free one (undefined when the range
 * is full); `reserve(key, ip)` records an IP a pod already has (after an agent restart); `release(key)`
 * frees it.
 */
export class PodIpAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly byKey = new Map<string, number>();
  private readonly used = new Set<number>();
  private next = 2;

  constructor(readonly cidr: string) {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    if (!m) throw new Error(`invalid IPv4 pod CIDR "${cidr}"`);
    const prefix = Number(m[5]);
    if (prefix > 30) throw new Error(`pod CIDR "${cidr}" is too small`);
    this.size = 2 ** (32 - prefix);
    const addr = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
    this.base = addr - (addr % this.size);
  }

  allocate(key: string): string | undefined {
    const held = this.byKey.get(key);
    if (held !== undefined) return ipString(this.base + held);
    const hosts = this.size - 3;
    for (let i = 0; i < hosts; i++) {
      const off = this.next;
      this.next = this.next + 1 >= this.size - 1 ? 2 : this.next + 1;
      if (!this.used.has(off)) {
        this.used.add(off);
        this.byKey.set(key, off);
        return ipString(this.base + off);
      }
    }
    return undefined;
  }

  /** Records that `key` holds `ip`; false when the IP is outside the range or held by another key. */
  reserve(key: string, ip: string): boolean {
    const n = ipNumber(ip);
    if (n === undefined || n - this.base < 2 || n - this.base >= this.size - 1) return false;
    const off = n - this.base;
    if (this.byKey.get(key) === off) return true;
    if (this.used.has(off)) return false;
    this.release(key);
    this.used.add(off);
    this.byKey.set(key, off);
    return true;
  }

  release(key: string): void {
    const off = this.byKey.get(key);
    if (off === undefined) return;
    this.byKey.delete(key);
    this.used.delete(off);
  }

  /** Number of IPs held. */
  get allocated(): number {
    return this.byKey.size;
  }
}

export function ipString(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function ipNumber(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}
