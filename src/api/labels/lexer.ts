/**
 * The label selector lexer, as upstream's `labels.Lexer`: identifiers are runs of anything that is neither
 * whitespace (space, tab, CR, LF) nor one of the operator characters `=!(),><`; keywords `in`/`notin` are
 * identifiers spelled that way; operator characters combine greedily into the longest known operator.
 */

export type Token =
  | 'error'
  | 'end'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'identifier'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

export interface ScannedItem {
  tok: Token;
  literal: string;
}

const KEYWORDS = new Map<string, Token>(Object.entries({
  ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(',
}) as [string, Token][]);

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string): boolean => '=!(),><'.includes(ch);

/** Splits a selector into tokens; the last item is always `end`. */
export function lex(s: string): ScannedItem[] {
  const items: ScannedItem[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos]!)) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'end', literal: '' });
      return items;
    }
    if (isSpecial(s[pos]!)) {
      let buffer = '';
      let last: ScannedItem | undefined;
      while (pos < s.length && isSpecial(s[pos]!)) {
        buffer += s[pos];
        pos++;
        const tok = KEYWORDS.get(buffer);
        if (tok) {
          last = { tok, literal: buffer };
        } else if (last) {
          pos--;
          break;
        }
      }
      items.push(last ?? { tok: 'error', literal: `error expected: keyword found '${buffer}'` });
      continue;
    }
    const start = pos;
    while (pos < s.length && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) pos++;
    const word = s.slice(start, pos);
    items.push({ tok: KEYWORDS.get(word) ?? 'identifier', literal: word });
  }
}
