/**
 * YAML exactly as kubectl prints it (`-o yaml`). kubectl turns the object into JSON and then into YAML
 * with sigs.k8s.io/yaml, i.e. go-yaml v2's emitter; this file reproduces that emitter's choices:
 *
 * - map keys sorted (byte order), 2-space indent, a list under a key not indented (`key:\n- a`);
 * - `{}` and `[]` for empty maps and lists, `null` for null;
 * - a string is plain unless it would read back as something else (`"123"`, `"true"`, `"y"`, `""`,
 *   timestamps such as `"2024-01-02T03:04:05Z"`, `"1:20"`); then it is double-quoted;
 * - a plain string that the YAML grammar cannot carry (`'a: b'`, `'*x'`, `'a #b'`, leading or trailing
 *   space) is single-quoted; one with tabs or other non-printable characters is double-quoted;
 * - a string with a newline is a literal block (`|`, `|-`, `|+`, with an indent digit when it starts
 *   with a space);
 * - long scalars are folded at spaces past column 80, as go-yaml does.
 */

const BEST_WIDTH = 80;
const INDENT = 2;

/** Renders a JSON-like value as a YAML document (ending with a newline). */
export function toYAML(value: unknown): string {
  const w = new Writer();
  w.node(value, -1, { mapValue: false, seqItem: false });
  if (!w.out.endsWith('\n')) w.out += '\n';
  return w.out;
}

interface Place {
  /** True when the node is the value of a mapping key (so a sequence there is not indented). */
  mapValue: boolean;
  seqItem: boolean;
}

class Writer {
  out = '';
  column = 0;

  private write(s: string): void {
    this.out += s;
    const nl = s.lastIndexOf('\n');
    this.column = nl >= 0 ? [...s.slice(nl + 1)].length : this.column + [...s].length;
  }

  private newlineIndent(indent: number): void {
    this.write(`\n${' '.repeat(Math.max(indent, 0))}`);
  }

  /** Writes a node whose parent block has indent `parent` (-1 at the top). */
  node(v: unknown, parent: number, place: Place): void {
    if (Array.isArray(v)) {
      if (v.length === 0) return this.inlineAfterIndicator('[]', place);
      // A sequence that is a mapping value is "indentless"; one at the top or in a sequence is indented.
      const indent = parent < 0 ? 0 : place.mapValue ? parent : parent + INDENT;
      v.forEach((item, i) => {
        if (i > 0 || (!place.seqItem && parent >= 0) || place.mapValue) this.lineStart(indent);
        this.write('- ');
        this.node(item, indent, { mapValue: false, seqItem: true });
      });
      return;
    }
    if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v).sort(compareKeys);
      if (keys.length === 0) return this.inlineAfterIndicator('{}', place);
      const indent = parent < 0 ? 0 : parent + INDENT;
      keys.forEach((k, i) => {
        if (i > 0 || (!place.seqItem && parent >= 0)) this.lineStart(indent);
        this.scalar(k, indent, true);
        this.write(':');
        const child = (v as Record<string, unknown>)[k];
        if (isBlockCollection(child)) {
          this.node(child, indent, { mapValue: true, seqItem: false });
        } else {
          this.write(' ');
          this.node(child, indent, { mapValue: true, seqItem: false });
        }
      });
      return;
    }
    const indent = parent < 0 ? INDENT : parent + INDENT;
    if (v === null || v === undefined) return this.write('null');
    if (typeof v === 'boolean') return this.write(String(v));
    if (typeof v === 'number') return this.write(formatNumber(v));
    this.scalar(String(v), indent, false);
  }

  private inlineAfterIndicator(text: string, place: Place): void {
    if (place.mapValue && !this.out.endsWith(' ')) this.write(' ');
    this.write(text);
  }

  private lineStart(indent: number): void {
    if (this.out.length === 0 || this.out.endsWith('\n')) {
      this.write(' '.repeat(indent));
      return;
    }
    this.newlineIndent(indent);
  }

  /** Writes a string scalar whose continuation lines are indented by `indent`. */
  private scalar(s: string, indent: number, simpleKey: boolean): void {
    const style = chooseStyle(s, simpleKey);
    switch (style) {
      case 'plain': return this.plain(s, indent, !simpleKey);
      case 'single': return this.singleQuoted(s, indent, !simpleKey);
      case 'double': return this.doubleQuoted(s, indent, !simpleKey);
      case 'literal': return this.literal(s, indent);
    }
  }

  private plain(s: string, indent: number, allowBreaks: boolean): void {
    const chars = [...s];
    let spaces = false;
    let buf = '';
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column + [...buf].length > BEST_WIDTH && chars[i + 1] !== ' ') {
          this.write(buf);
          buf = '';
          this.newlineIndent(indent);
        } else {
          buf += c;
        }
        spaces = true;
      } else {
        buf += c;
        spaces = false;
      }
    }
    this.write(buf);
  }

  private singleQuoted(s: string, indent: number, allowBreaks: boolean): void {
    const chars = [...s];
    let spaces = false;
    let breaks = false;
    let buf = "'";
    const flush = () => { this.write(buf); buf = ''; };
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column + [...buf].length > BEST_WIDTH && i > 0 && i < chars.length - 1 && chars[i + 1] !== ' ') {
          flush();
          this.newlineIndent(indent);
        } else {
          buf += c;
        }
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') { flush(); this.write('\n'); }
        flush();
        this.write('\n');
        breaks = true;
      } else {
        if (breaks) { flush(); this.write(' '.repeat(indent)); }
        buf += c === "'" ? "''" : c;
        spaces = false;
        breaks = false;
      }
    }
    buf += "'";
    flush();
  }

  private doubleQuoted(s: string, indent: number, allowBreaks: boolean): void {
    const chars = [...s];
    let spaces = false;
    let buf = '"';
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      const cp = c.codePointAt(0)!;
      if (!isPrintable(cp) || cp === 0xfeff || isBreak(c) || c === '"' || c === '\\') {
        buf += escape(cp);
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column + [...buf].length > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.write(buf);
          buf = '';
          this.newlineIndent(indent);
          if (chars[i + 1] === ' ') buf += '\\';
        } else {
          buf += c;
        }
        spaces = true;
      } else {
        buf += c;
        spaces = false;
      }
    }
    this.write(`${buf}"`);
  }

  private literal(s: string, indent: number): void {
    let hints = '';
    if (s.startsWith(' ') || isBreak(s[0])) hints += String(INDENT);
    if (!s.endsWith('\n')) hints += '-';
    else if (s.length === 1 || isBreak(s[s.length - 2])) hints += '+';
    this.write(`|${hints}\n`);
    const lines = s.split('\n');
    if (s.endsWith('\n')) lines.pop();
    this.out += lines.map((l) => (l === '' ? '' : ' '.repeat(indent) + l)).join('\n');
    if (s.endsWith('\n')) this.out += '\n';
    const last = lines[lines.length - 1] ?? '';
    this.column = s.endsWith('\n') ? 0 : indent + [...last].length;
  }
}

function isBlockCollection(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && typeof v === 'object' && Object.keys(v).length > 0;
}

/**
 * go-yaml v2's key order (keyList.Less): letters sort after other characters, and runs of digits
 * compare as numbers ("k2" < "k10").
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return yamlKeyLess(a, b) ? -1 : 1;
}

function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') { an = 1; bn = 1; break; }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

function isLetter(c: string): boolean {
  return /\p{L}/u.test(c);
}

function isDigit(c: string): boolean {
  return /\p{Nd}/u.test(c);
}

type Style = 'plain' | 'single' | 'double' | 'literal';

/** go-yaml's choice of style for a string (encoder's stringv + emitter's analyze/select). */
export function chooseStyle(s: string, simpleKey: boolean): Style {
  const canUsePlain = resolvesAsString(s) && !isBase60Float(s);
  let style: Style = s.includes('\n') ? 'literal' : canUsePlain ? 'plain' : 'double';
  const a = analyze(s);
  if (style === 'plain' && (!a.blockPlainAllowed || s.length === 0)) style = 'single';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  return style;
}

const RESOLVE_MAP = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE',
  'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE',
  '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** go-yaml v2's resolve(): true when the plain scalar `s` would read back as a string. */
function resolvesAsString(s: string): boolean {
  if (s === '') return false;
  const c = s[0];
  const hint = c === '+' || c === '-' ? 'S' : c >= '0' && c <= '9' ? 'D' : c === '.' ? '.' : 'yYnNtTfFoO~<'.includes(c) ? 'M' : '';
  if (!hint) return true;
  if (RESOLVE_MAP.has(s)) return false;
  if (hint === 'M') return true;
  if (hint === '.') return !isGoFloat(s);
  if (isTimestamp(s)) return false;
  const plain = s.replace(/_/g, '');
  if (isGoInt(plain)) return false;
  if (YAML_FLOAT.test(plain)) return false;
  if (/^-?0b[01]+$/.test(plain)) return false;
  return true;
}

/** strconv.ParseInt(s, 0, 64) (and ParseUint) would succeed. */
function isGoInt(s: string): boolean {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$/.exec(s);
  if (!m) return false;
  try {
    let body = m[2];
    if (/^0[0-7]/.test(body)) body = `0o${body.slice(1)}`;
    const n = BigInt(body.replace(/^0O/, '0o').replace(/^0X/, '0x').replace(/^0B/, '0b'));
    return m[1] === '-' ? n <= 2n ** 63n : n <= 2n ** 64n - 1n;
  } catch {
    return false;
  }
}

function isGoFloat(s: string): boolean {
  return /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|[iI]nf(inity)?|NaN)$/.test(s);
}

function isBase60Float(s: string): boolean {
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);
}

/** go-yaml's parseTimestamp: 4 digits, a dash, then one of the accepted layouts. */
function isTimestamp(s: string): boolean {
  if (!/^\d{4}-/.test(s)) return false;
  return /^\d{4}-\d{1,2}-\d{1,2}$/.test(s)
    || /^\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s)
    || /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?$/.test(s);
}

interface Analysis {
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/** libyaml's yaml_emitter_analyze_scalar, for block context. */
function analyze(s: string): Analysis {
  if (s.length === 0) return { blockPlainAllowed: false, singleQuotedAllowed: true, blockAllowed: false };
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (s.startsWith('---') || s.startsWith('...')) blockIndicators = true;
  const chars = [...s];
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || next === ' ' || next === '\t' || isBreak(next);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      if ((c === '?' || c === ':') && followedByWhitespace) blockIndicators = true;
      if (c === '-' && followedByWhitespace) blockIndicators = true;
    } else {
      if (c === ':' && followedByWhitespace) blockIndicators = true;
      if (c === '#' && precededByWhitespace) blockIndicators = true;
    }
    const cp = c.codePointAt(0)!;
    if (!isPrintable(cp) || cp === 0xfeff) special = true;
    if (isBreak(c)) lineBreaks = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = c === ' ' || c === '\t' || isBreak(c);
  }
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) { blockPlainAllowed = false; singleQuotedAllowed = false; }
  if (spaceBreak || special) { blockPlainAllowed = false; singleQuotedAllowed = false; blockAllowed = false; }
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

function isBreak(c: string | undefined): boolean {
  return c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
}

/** libyaml's is_printable (code points it writes as they are). */
function isPrintable(cp: number): boolean {
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

const ESCAPES: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
  0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

function escape(cp: number): string {
  if (ESCAPES[cp] !== undefined) return `\\${ESCAPES[cp]}`;
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

/** How go-yaml writes a number that came from JSON: integers as such, others with Go's %g. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  return goFloatG(n);
}

/** strconv.FormatFloat(n, 'g', -1, 64). */
export function goFloatG(n: number): string {
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mant, expStr] = n.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mant}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}
