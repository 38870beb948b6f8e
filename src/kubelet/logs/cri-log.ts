/**
 * The CRI container log format, as containerd writes it: one line per chunk,
 * `<RFC3339Nano time> <stdout|stderr> <P|F> <content>`, where P marks a partial line continued by the
 * next chunk and F the end of a line. `parseCriLog` turns a buffer of such lines into whole log lines
 * (partials joined, the newline restored for F); an incomplete last line is left for the next read.
 */

export interface LogLine {
  /** As written (RFC3339Nano). */
  time: string;
  timeMs: number;
  stream: 'stdout' | 'stderr';
  /** The content with its trailing newline (when the runtime closed the line). */
  content: string;
}

export interface ParseResult {
  lines: LogLine[];
  /** Bytes consumed (whole CRI lines). */
  consumed: number;
}

/** RFC3339Nano → milliseconds (sub-millisecond digits dropped). */
export function parseLogTime(t: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(t);
  if (!m) return NaN;
  const frac = m[2] ? `.${m[2].slice(1, 4).padEnd(3, '0')}` : '';
  return Date.parse(`${m[1]}${frac}${m[3]}`);
}

export function parseCriLog(buf: Buffer, pending: Map<string, LogLine> = new Map()): ParseResult {
  const lines: LogLine[] = [];
  let pos = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) break;
    const raw = buf.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    const s1 = raw.indexOf(' ');
    const s2 = raw.indexOf(' ', s1 + 1);
    const s3 = raw.indexOf(' ', s2 + 1);
    if (s1 < 0 || s2 < 0) continue;
    const time = raw.slice(0, s1);
    const stream = raw.slice(s1 + 1, s2) as LogLine['stream'];
    const tag = s3 < 0 ? raw.slice(s2 + 1) : raw.slice(s2 + 1, s3);
    const content = s3 < 0 ? '' : raw.slice(s3 + 1);
    const full = !tag.split(':').includes('P');
    const prev = pending.get(stream);
    const line: LogLine = prev ? { ...prev, content: prev.content + content } : { time, timeMs: parseLogTime(time), stream, content };
    if (full) {
      pending.delete(stream);
      line.content += '\n';
      lines.push(line);
    } else pending.set(stream, line);
  }
  return { lines, consumed: pos };
}
