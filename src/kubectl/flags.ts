/**
 * Flag parsing as kubectl does it (cobra + pflag), so that every command line a kubectl user types means
 * the same thing here and fails with the same message.
 *
 * Accepted forms: `--name=value`, `--name value`, `-n value`, `-nvalue`, `-n=value`, combined boolean
 * shorthands (`-it`), a bare boolean (`--watch`, never consuming the next word), `--name=false`, repeated
 * flags (string arrays collect every occurrence; string slices also split on commas), flags interspersed
 * with positionals, and `--` which ends flag parsing (its position is kept for `exec`).
 *
 * Errors are thrown as FlagError whose message is pflag's wording (`unknown flag: --foo`,
 * `unknown shorthand flag: 'x' in -x`, `flag needs an argument: --namespace`, ...).
 */

export type FlagKind = 'bool' | 'string' | 'stringSlice' | 'stringArray' | 'int' | 'duration';

export interface FlagDef {
  name: string;
  /** One-letter shorthand, without the dash. */
  short?: string;
  kind: FlagKind;
  usage: string;
  /** Default value as kubectl shows it in --help (`''` for an empty string, `[]` for an empty list). */
  default?: string | number | boolean | string[];
  /** pflag's NoOptDefVal: the value a bare `--flag` (no `=`) takes, e.g. `--dry-run` → "unchanged". */
  noOptDefault?: string;
  hidden?: boolean;
}

export class FlagError extends Error {}

export type FlagValue = string | number | boolean | string[];

/** The result of parsing: values by long name, positionals, and where `--` was (-1 when absent). */
export class ParsedFlags {
  readonly values = new Map<string, FlagValue>();
  readonly changed = new Set<string>();
  positionals: string[] = [];
  argsLenAtDash = -1;

  constructor(private readonly defs: Map<string, FlagDef>) {}

  private value(name: string): FlagValue | undefined {
    if (this.values.has(name)) return this.values.get(name);
    return this.defs.get(name)?.default;
  }

  isSet(name: string): boolean {
    return this.changed.has(name);
  }

  string(name: string): string {
    const v = this.value(name);
    return v === undefined ? '' : String(v);
  }

  bool(name: string): boolean {
    return this.value(name) === true;
  }

  int(name: string): number {
    const v = this.value(name);
    return typeof v === 'number' ? v : 0;
  }

  strings(name: string): string[] {
    const v = this.value(name);
    return Array.isArray(v) ? v : [];
  }
}

/** Which flags a command accepts: its own plus the inherited (global) ones. */
export class FlagSet {
  private readonly byName = new Map<string, FlagDef>();
  private readonly byShort = new Map<string, FlagDef>();

  constructor(defs: FlagDef[] = []) {
    for (const d of defs) this.add(d);
  }

  add(def: FlagDef): this {
    this.byName.set(def.name, def);
    if (def.short) this.byShort.set(def.short, def);
    return this;
  }

  addAll(defs: Iterable<FlagDef>): this {
    for (const d of defs) this.add(d);
    return this;
  }

  lookup(name: string): FlagDef | undefined {
    return this.byName.get(name);
  }

  lookupShort(short: string): FlagDef | undefined {
    return this.byShort.get(short);
  }

  defs(): FlagDef[] {
    return [...this.byName.values()];
  }

  /** Parses `args` as pflag would with interspersed positionals. */
  parse(args: string[]): ParsedFlags {
    const out = new ParsedFlags(this.byName);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--') {
        out.argsLenAtDash = out.positionals.length;
        out.positionals.push(...args.slice(i + 1));
        break;
      }
      if (a.startsWith('--')) {
        const body = a.slice(2);
        const eq = body.indexOf('=');
        const name = eq >= 0 ? body.slice(0, eq) : body;
        const def = this.byName.get(name);
        if (!def) throw new FlagError(`unknown flag: --${name}`);
        if (eq >= 0) set(out, def, body.slice(eq + 1), `--${name}`);
        else if (def.kind === 'bool') set(out, def, 'true', `--${name}`);
        else if (def.noOptDefault !== undefined) set(out, def, def.noOptDefault, `--${name}`);
        else if (i + 1 < args.length) set(out, def, args[++i], `--${name}`);
        else throw new FlagError(`flag needs an argument: --${name}`);
        continue;
      }
      if (a.startsWith('-') && a.length > 1) {
        let rest = a.slice(1);
        while (rest.length > 0) {
          const c = rest[0];
          const def = this.byShort.get(c);
          if (!def) throw new FlagError(`unknown shorthand flag: '${c}' in -${rest}`);
          if (rest.length > 2 && rest[1] === '=') {
            set(out, def, rest.slice(2), `-${c}`);
            rest = '';
          } else if (def.kind === 'bool') {
            set(out, def, 'true', `-${c}`);
            rest = rest.slice(1);
          } else if (rest.length > 1) {
            set(out, def, rest.slice(1), `-${c}`);
            rest = '';
          } else if (i + 1 < args.length) {
            set(out, def, args[++i], `-${c}`);
            rest = '';
          } else {
            throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
          }
        }
        continue;
      }
      out.positionals.push(a);
    }
    return out;
  }

  /** The "Options:" block of kubectl's --help, or "" when there are none. */
  helpBlock(): string {
    const defs = this.defs().filter((d) => !d.hidden).sort((a, b) => a.name.localeCompare(b.name));
    return defs.map((d) => `    ${d.short ? `-${d.short}, ` : ''}--${d.name}=${showDefault(d)}:\n\t${d.usage}\n`).join('\n');
  }
}

function showDefault(d: FlagDef): string {
  const v = d.default;
  switch (d.kind) {
    case 'bool': return String(v === true);
    case 'int': return String(v ?? 0);
    case 'duration': return String(v ?? '0s');
    case 'stringSlice':
    case 'stringArray': return `[${(Array.isArray(v) ? v : []).join(',')}]`;
    default: return `'${v ?? ''}'`;
  }
}

/** pflag's name for a flag in value errors: `-A, --all-namespaces` or `--chunk-size`. */
function flagTitle(def: FlagDef): string {
  return def.short ? `-${def.short}, --${def.name}` : `--${def.name}`;
}

function set(out: ParsedFlags, def: FlagDef, raw: string, _as: string): void {
  out.changed.add(def.name);
  switch (def.kind) {
    case 'bool': {
      const b = parseBool(raw);
      if (b === undefined) throw new FlagError(`invalid argument "${raw}" for "${flagTitle(def)}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
      out.values.set(def.name, b);
      return;
    }
    case 'int': {
      if (!/^[+-]?\d+$/.test(raw)) throw new FlagError(`invalid argument "${raw}" for "${flagTitle(def)}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`);
      out.values.set(def.name, Number(raw));
      return;
    }
    case 'stringSlice': {
      const prev = out.values.get(def.name);
      const parts = raw === '' ? [] : raw.split(',');
      out.values.set(def.name, [...(Array.isArray(prev) ? prev : []), ...parts]);
      return;
    }
    case 'stringArray': {
      const prev = out.values.get(def.name);
      out.values.set(def.name, [...(Array.isArray(prev) ? prev : []), raw]);
      return;
    }
    case 'duration': {
      if (parseDuration(raw) === undefined) throw new FlagError(`invalid argument "${raw}" for "${flagTitle(def)}" flag: time: invalid duration "${raw}"`);
      out.values.set(def.name, raw);
      return;
    }
    default:
      out.values.set(def.name, raw);
  }
}

/** Go's strconv.ParseBool. */
export function parseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds ("0" is allowed without a unit). */
export function parseDuration(s: string): number | undefined {
  if (s === '0') return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(s);
  if (!m) return undefined;
  let total = 0;
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(part[1]) * UNIT_MS[part[2]];
  }
  return m[1] === '-' ? -total : total;
}
