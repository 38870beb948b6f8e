/**
 * CronJob schedules: standard five-field cron syntax and the `@yearly … @hourly` macros, in the
 * CronJob's `timeZone` (or a `CRON_TZ=`/`TZ=` prefix), evaluated by the cron-parser package.
 * `mostRecent(after, now)` is the latest schedule time in (after, now], `next(now)` the first after now.
 */
import { CronExpressionParser } from 'cron-parser';

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

export class Schedule {
  private constructor(private readonly expr: string, readonly tz: string) {}

  /** Throws an Error with upstream-like text for an unparseable schedule or unknown time zone. */
  static parse(schedule: string, timeZone?: string): Schedule {
    let expr = schedule.trim();
    let tz = timeZone ?? 'UTC';
    const prefix = /^(CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(expr);
    if (prefix) {
      if (timeZone) throw new Error('unparseable schedule: TZ or CRON_TZ is not supported together with spec.timeZone');
      tz = prefix[2]!;
      expr = prefix[3]!;
    }
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
    } catch {
      throw new Error(`unknown time zone ${tz}`);
    }
    if (expr === '@midnight') expr = '@daily';
    if (expr.startsWith('@')) {
      if (!MACROS.has(expr)) throw new Error(`unparseable schedule: unrecognized descriptor: ${expr}`);
    } else if (expr.split(/\s+/).length !== 5) {
      throw new Error(`unparseable schedule: expected exactly 5 fields, found ${expr.split(/\s+/).length}: ${expr}`);
    }
    const s = new Schedule(expr, tz);
    s.at(Date.now()); // validate
    return s;
  }

  private at(ms: number) {
    try {
      return CronExpressionParser.parse(this.expr, { currentDate: new Date(ms), tz: this.tz });
    } catch (err) {
      throw new Error(`unparseable schedule: ${(err as Error).message}`);
    }
  }

  /** The first schedule time strictly after `ms`. */
  next(ms: number): number {
    return this.at(ms).next().getTime();
  }

  /** The latest schedule time `t` with `after < t <= now`, if any. */
  mostRecent(after: number, now: number): number | undefined {
    const t = this.at(now + 1).prev().getTime();
    return t > after && t <= now ? t : undefined;
  }
}
