/**
 * Sets of field paths, as structured-merge-diff keeps them and as `metadata.managedFields[].fieldsV1`
 * serializes them.
 *
 * A path is a list of path elements, each written as in FieldsV1:
 * - `f:<name>`: a field of an object, or a key of a map (`f:spec`, `f:app`);
 * - `k:<json>`: an item of an associative list, by its key fields (`k:{"name":"nginx"}`);
 * - `v:<json>`: an item of a set-like list by its value (`v:"example.com/finalizer"`);
 * - `i:<n>`: a list item by index (not produced by k8ts; read for completeness).
 *
 * The set is a tree; a node is a *member* when its own path is in the set. FieldsV1 writes a member leaf as
 * `{}` and a member with children with an extra `".": {}` entry.
 */

export type PathElement = string;
export type FieldPath = PathElement[];

/** FieldsV1 order: fields, then keys, then values, then indices; by text within each group. */
const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };
export function comparePathElements(a: PathElement, b: PathElement): number {
  const ra = RANK[a[0]!] ?? 4;
  const rb = RANK[b[0]!] ?? 4;
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Go's %v-like rendering of a key or set value in a path string: strings quoted, others as JSON. */
function valueText(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
}

/** Upstream's `fieldpath.Path.String()`: `.spec.containers[name="nginx"].image`, `[=value]`, `[0]`. */
export function pathString(path: FieldPath): string {
  return path.map((pe) => {
    const kind = pe[0];
    const rest = pe.slice(2);
    if (kind === 'f') return `.${rest}`;
    if (kind === 'k') {
      const keys = JSON.parse(rest) as Record<string, unknown>;
      return `[${Object.keys(keys).sort().map((k) => `${k}=${valueText(keys[k])}`).join(',')}]`;
    }
    if (kind === 'v') return `[=${valueText(JSON.parse(rest))}]`;
    if (kind === 'i') return `[${rest}]`;
    return '{{invalid path element}}';
  }).join('');
}

export class FieldSet {
  member = false;
  readonly children = new Map<PathElement, FieldSet>();

  /** The child node for `pe`, created when `create` is set. */
  child(pe: PathElement, create: true): FieldSet;
  child(pe: PathElement, create?: false): FieldSet | undefined;
  child(pe: PathElement, create = false): FieldSet | undefined {
    let c = this.children.get(pe);
    if (!c && create) {
      c = new FieldSet();
      this.children.set(pe, c);
    }
    return c;
  }

  insert(path: FieldPath): this {
    let n: FieldSet = this;
    for (const pe of path) n = n.child(pe, true);
    n.member = true;
    return this;
  }

  has(path: FieldPath): boolean {
    let n: FieldSet | undefined = this;
    for (const pe of path) {
      n = n.child(pe);
      if (!n) return false;
    }
    return n.member;
  }

  /** The node at `path` (undefined when no member lies at or under it). */
  at(path: FieldPath): FieldSet | undefined {
    let n: FieldSet | undefined = this;
    for (const pe of path) {
      n = n?.child(pe);
      if (!n) return undefined;
    }
    return n;
  }

  /**
   * True when no path is a member. Every operation keeps the invariant that a child node is never empty, so
   * a node is empty exactly when it is not a member and has no children.
   */
  empty(): boolean {
    return !this.member && this.children.size === 0;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    out.member = this.member;
    for (const [pe, c] of this.children) out.children.set(pe, c.clone());
    return out;
  }

  /** The union; may return one of the operands itself (sets are not modified once built). */
  union(other: FieldSet): FieldSet {
    if (other.empty()) return this;
    if (this.empty()) return other;
    const out = this.clone();
    const add = (into: FieldSet, from: FieldSet): void => {
      into.member ||= from.member;
      for (const [pe, c] of from.children) add(into.child(pe, true), c);
    };
    add(out, other);
    return out;
  }

  /** Members of this set that are not members of `other` (exact paths; descendants are judged on their own). */
  difference(other: FieldSet | undefined): FieldSet {
    const out = new FieldSet();
    out.member = this.member && !(other?.member ?? false);
    for (const [pe, c] of this.children) {
      const d = c.difference(other?.child(pe));
      if (!d.empty()) out.children.set(pe, d);
    }
    return out;
  }

  intersection(other: FieldSet | undefined): FieldSet {
    const out = new FieldSet();
    if (!other) return out;
    out.member = this.member && other.member;
    for (const [pe, c] of this.children) {
      const o = other.child(pe);
      if (!o) continue;
      const i = c.intersection(o);
      if (!i.empty()) out.children.set(pe, i);
    }
    return out;
  }

  /** Every member path, in FieldsV1 order (a node before its children). */
  members(prefix: FieldPath = []): FieldPath[] {
    const out: FieldPath[] = [];
    if (this.member) out.push(prefix);
    for (const pe of [...this.children.keys()].sort(comparePathElements)) out.push(...this.children.get(pe)!.members([...prefix, pe]));
    return out;
  }

  /** The FieldsV1 JSON form. */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const n = this.children.size;
    if (this.member && n > 0) out['.'] = {};
    const keys = n > 1 ? [...this.children.keys()].sort(comparePathElements) : this.children.keys();
    for (const pe of keys) out[pe] = this.children.get(pe)!.toFieldsV1();
    return out;
  }

  /** Reads the FieldsV1 JSON form; throws on anything malformed. */
  static fromFieldsV1(json: unknown): FieldSet {
    const read = (node: unknown, into: FieldSet, isRoot: boolean): void => {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) throw new Error('FieldsV1: expected an object');
      const entries = Object.entries(node as Record<string, unknown>);
      if (entries.length === 0 && !isRoot) into.member = true;
      for (const [k, v] of entries) {
        if (k === '.') {
          into.member = true;
          continue;
        }
        if (!/^[fkvi]:/.test(k)) throw new Error(`FieldsV1: bad path element ${JSON.stringify(k)}`);
        read(v, into.child(k, true), false);
      }
    };
    const set = new FieldSet();
    read(json, set, true);
    return set;
  }
}
