/**
 * Max-in-flight limiting, as upstream's `--max-requests-inflight` (400) and
 * `--max-mutating-requests-inflight` (200): beyond those, a request is answered at once with 429
 * TooManyRequests and `Retry-After: 1` instead of queueing without bound. Long-running requests (watches,
 * log/exec/attach/port-forward/proxy streams) are not counted.
 */
import { ApiError } from '../api/errors.js';
import type { RequestInfo } from './handlers/request-info.js';

const MUTATING = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
const LONG_RUNNING_SUBRESOURCES = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

export class MaxInFlight {
  private reads = 0;
  private writes = 0;

  constructor(private readonly maxReads = 400, private readonly maxWrites = 200) {}

  static isLongRunning(info: RequestInfo): boolean {
    return info.verb === 'watch' || LONG_RUNNING_SUBRESOURCES.has(info.subresource);
  }

  /** Takes a slot for the request, or throws 429; call the returned function when the request ends. */
  acquire(info: RequestInfo): () => void {
    if (MaxInFlight.isLongRunning(info)) return () => {};
    const mutating = MUTATING.has(info.verb) && info.isResourceRequest;
    if (mutating ? this.writes >= this.maxWrites : this.reads >= this.maxReads) {
      throw new ApiError('TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 1 });
    }
    if (mutating) this.writes++;
    else this.reads++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (mutating) this.writes--;
      else this.reads--;
    };
  }
}
