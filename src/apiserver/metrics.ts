/**
 * The API server's `/metrics`, in the Prometheus text format, named as upstream names them:
 * `apiserver_request_total` and `apiserver_request_duration_seconds` (histogram) by verb, group, version,
 * resource, subresource and code; `apiserver_longrunning_requests` (open watches and streams);
 * `apiserver_storage_objects` per resource, from the watch cache.
 */
import type { RequestInfo } from './handlers/request-info.js';

const BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 10, 15, 30, 60];

interface Series {
  labels: string;
  count: number;
  sum: number;
  buckets: number[];
}

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export class ApiMetrics {
  private readonly totals = new Map<string, number>();
  private readonly durations = new Map<string, Series>();
  private longRunning = 0;

  /** Records one finished request. `info.verb` is upstream's (WATCH for watches, LIST, ...). */
  observe(info: RequestInfo, code: number, seconds: number): void {
    const base = `verb="${esc(info.verb.toUpperCase())}",group="${esc(info.apiGroup)}",version="${esc(info.apiVersion)}",resource="${esc(info.resource)}",subresource="${esc(info.subresource)}"`;
    const total = `${base},code="${code}"`;
    this.totals.set(total, (this.totals.get(total) ?? 0) + 1);
    let s = this.durations.get(base);
    if (!s) this.durations.set(base, (s = { labels: base, count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }));
    s.count++;
    s.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) s.buckets[i]!++;
  }

  longRunningStarted(): () => void {
    this.longRunning++;
    let done = false;
    return () => { if (!done) { done = true; this.longRunning--; } };
  }

  render(storageObjects: Record<string, number>): string {
    const out: string[] = [];
    out.push('# HELP apiserver_request_total Counter of apiserver requests broken out for each verb, group, version, resource, subresource and HTTP response code.');
    out.push('# TYPE apiserver_request_total counter');
    for (const [l, v] of this.totals) out.push(`apiserver_request_total{${l}} ${v}`);
    out.push('# HELP apiserver_request_duration_seconds Response latency distribution in seconds for each verb, group, version, resource and subresource.');
    out.push('# TYPE apiserver_request_duration_seconds histogram');
    for (const s of this.durations.values()) {
      BUCKETS.forEach((b, i) => out.push(`apiserver_request_duration_seconds_bucket{${s.labels},le="${b}"} ${s.buckets[i]}`));
      out.push(`apiserver_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`);
      out.push(`apiserver_request_duration_seconds_sum{${s.labels}} ${s.sum}`);
      out.push(`apiserver_request_duration_seconds_count{${s.labels}} ${s.count}`);
    }
    out.push('# HELP apiserver_longrunning_requests Gauge of all active long-running apiserver requests (watches and streams).');
    out.push('# TYPE apiserver_longrunning_requests gauge');
    out.push(`apiserver_longrunning_requests ${this.longRunning}`);
    out.push('# HELP apiserver_storage_objects Number of stored objects at the time of last check split by kind.');
    out.push('# TYPE apiserver_storage_objects gauge');
    for (const [r, n] of Object.entries(storageObjects).sort()) out.push(`apiserver_storage_objects{resource="${esc(r)}"} ${n}`);
    return out.join('\n') + '\n';
  }
}
