/** NodePort allocation from 30000-32767, rebuilt from the stored Services at start. */
import { ApiError } from '../../../api/errors.js';

export class PortAllocator {
  private readonly used = new Set<number>();
  private next: number;

  constructor(readonly min = 30000, readonly max = 32767) {
    this.next = min + Math.floor(Math.random() * (max - min + 1));
  }

  contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.min && port <= this.max;
  }

  allocate(port: number): 'ok' | 'taken' | 'out-of-range' {
    if (!this.contains(port)) return 'out-of-range';
    if (this.used.has(port)) return 'taken';
    this.used.add(port);
    return 'ok';
  }

  allocateNext(): number {
    const n = this.max - this.min + 1;
    for (let i = 0; i < n; i++) {
      const p = this.next;
      this.next = p >= this.max ? this.min : p + 1;
      if (!this.used.has(p)) {
        this.used.add(p);
        return p;
      }
    }
    throw new ApiError('InternalError', 'Internal error occurred: failed to allocate a nodePort: range is full');
  }

  release(port: number): void {
    this.used.delete(port);
  }

  /** Forgets what it knew and takes `ports` as the allocated set (after other servers changed it). */
  resetTo(ports: number[]): void {
    this.used.clear();
    for (const p of ports) if (this.contains(p)) this.used.add(p);
  }
}
