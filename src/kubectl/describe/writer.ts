/**
 * kubectl describe's PrefixWriter: lines at indent levels (2 spaces each), `key:\tvalue` cells, run
 * through Go's tabwriter (minwidth 0, padding 2) at the end; plus the shared formatting helpers
 * (multi-line labels and annotations, RFC1123Z times, event tables).
 */
import { goTabwriter } from '../printers/go-tabwriter.js';
import { shortAge } from '../cmd/get.js';

export class DescribeWriter {
  private text = '';
  /** Text already flushed (the tabwriter's Flush): later blocks align on their own. */
  private done = '';

  write(level: number, line: string): void {
    this.text += '  '.repeat(level) + line;
  }

  flush(): void {
    this.done += goTabwriter(this.text);
    this.text = '';
  }

  toString(): string {
    return this.done + goTabwriter(this.text);
  }
}

/** Labels as describe prints them: one `k=v` per line, sorted, `<none>` when empty. */
export function labelsMultiline(w: DescribeWriter, title: string, labels: Record<string, string> | undefined, level = 0): void {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) { w.write(level, `${title}:\t<none>\n`); return; }
  keys.forEach((k, i) => w.write(level, `${i === 0 ? `${title}:` : ''}\t${k}=${labels![k]}\n`));
}

const ANNOTATION_SKIP = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION = 140;

/** Annotations: `k: v`, sorted, the last-applied configuration left out, long values shortened. */
export function annotationsMultiline(w: DescribeWriter, title: string, annotations: Record<string, string> | undefined, level = 0): void {
  const keys = Object.keys(annotations ?? {}).filter((k) => !ANNOTATION_SKIP.has(k)).sort();
  if (keys.length === 0) { w.write(level, `${title}:\t<none>\n`); return; }
  keys.forEach((k, i) => {
    let v = annotations![k];
    if (v.length > MAX_ANNOTATION && !v.includes('\n')) v = `${v.slice(0, MAX_ANNOTATION - 3)}...`;
    const lines = v.split('\n');
    w.write(level, `${i === 0 ? `${title}:` : ''}\t${k}: ${lines[0]}\n`);
    for (const l of lines.slice(1)) w.write(level, `\t  ${l}\n`);
  });
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`. */
export function rfc1123z(iso: string | undefined): string {
  if (!iso) return '<unknown>';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export function age(iso: string | undefined, now: Date): string {
  if (!iso) return '<unknown>';
  return shortAge(now.getTime() - Date.parse(iso));
}

export interface EventLike {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string };
  reportingComponent?: string;
  series?: { count?: number; lastObservedTime?: string };
  metadata?: { creationTimestamp?: string };
}

/** The Events section: `<none>`, or a Type/Reason/Age/From/Message table. */
export function describeEvents(w: DescribeWriter, events: EventLike[] | undefined, now: Date): void {
  if (!events || events.length === 0) { w.write(0, 'Events:\t<none>\n'); return; }
  w.flush();
  const first = (e: EventLike) => e.eventTime || e.firstTimestamp || e.metadata?.creationTimestamp;
  const sorted = [...events].sort((a, b) => Date.parse(a.lastTimestamp || first(a) || '') - Date.parse(b.lastTimestamp || first(b) || ''));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const since = age(first(e), now);
    let interval = since;
    if (e.series) interval = `${age(e.series.lastObservedTime, now)} (x${e.series.count} over ${since})`;
    else if ((e.count ?? 0) > 1) interval = `${age(e.lastTimestamp, now)} (x${e.count} over ${since})`;
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${e.source?.component || e.reportingComponent || ''}\t${(e.message ?? '').trim()}\n`);
  }
}
