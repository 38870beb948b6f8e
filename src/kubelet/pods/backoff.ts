/**
 * Restart back-off per container (and image-pull back-off per image), as upstream's flowcontrol.Backoff
 * with the kubelet's parameters: the first restart is immediate, then the delay starts at 10 s and doubles
 * to at most 5 min; an entry is forgotten (delay back to the start) once its container ran for 10 min, or
 * when nothing used it for twice the maximum.
 *
 * Contract: `inBackoff(key, since)` is true while `since + delay(key)` is in the future; `next(key)` records
 * a restart (the first one sets the initial delay, each later one doubles it); `reset(key)` forgets it.
 */
import { realClock, type Clock } from '../../client/clock.js';

export const RESTART_BACKOFF_INITIAL_MS = 10_000;
export const RESTART_BACKOFF_MAX_MS = 300_000;
/** A container that ran this long resets its back-off. */
export const RESTART_BACKOFF_RESET_MS = 600_000;

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initialMs = RESTART_BACKOFF_INITIAL_MS,
    private readonly maxMs = RESTART_BACKOFF_MAX_MS,
    private readonly clock: Clock = realClock,
  ) {}

  /** The current delay of `key` (0 when none). */
  delay(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    if (this.clock.now() - e.lastUpdate > 2 * this.maxMs) {
      this.entries.delete(key);
      return 0;
    }
    return e.delayMs;
  }

  inBackoff(key: string, sinceMs: number): boolean {
    const d = this.delay(key);
    return d > 0 && this.clock.now() < sinceMs + d;
  }

  next(key: string): void {
    const now = this.clock.now();
    const e = this.entries.get(key);
    if (!e || now - e.lastUpdate > 2 * this.maxMs) this.entries.set(key, { delayMs: this.initialMs, lastUpdate: now });
    else this.entries.set(key, { delayMs: Math.min(e.delayMs * 2, this.maxMs), lastUpdate: now });
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key with the prefix (a pod that is gone). */
  resetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
