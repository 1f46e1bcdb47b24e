/** SOQL tokens: keywords and names are case-insensitive; date and date-time literals are unquoted. */
import { soqlError } from './soql-error';

export type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'op' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Raw text (for strings: the unescaped value; LIKE patterns keep `\%` and `\_` as escapes). */
  text: string;
  /** Upper-cased text for idents and keywords. */
  upper: string;
  pos: number;
  /** For strings: the text with `\%`/`\_` kept escaped (LIKE patterns). */
  likeText?: string;
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\d:T])/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = soql.length;
  while (i < n) {
    const c = soql[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const rest = soql.slice(i);
    if (c === "'") {
      let value = '';
      let like = '';
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const ch = soql[j] as string;
        if (ch === '\\') {
          const next = soql[j + 1];
          if (next === undefined) break;
          const mapped: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };
          if (next === '%' || next === '_') {
            value += next;
            like += '\\' + next;
          } else if (mapped[next] !== undefined) {
            value += mapped[next];
            like += next === '\\' ? '\\\\' : mapped[next];
          } else {
            throw soqlError('MALFORMED_QUERY', soql, j, `Invalid string literal '${soql.slice(i, j + 2)}'. Illegal character sequence '\\${next}' in string literal.`);
          }
          j += 2;
          continue;
        }
        if (ch === "'") {
          closed = true;
          break;
        }
        value += ch;
        like += ch;
        j++;
      }
      if (!closed) throw soqlError('MALFORMED_QUERY', soql, i, `line 1:${i} no viable alternative at character '''`);
      tokens.push({ kind: 'string', text: value, upper: value.toUpperCase(), pos: i, likeText: like });
      i = j + 1;
      continue;
    }
    let m = DATETIME.exec(rest);
    if (m) {
      tokens.push({ kind: 'datetime', text: m[0], upper: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    m = DATE.exec(rest);
    if (m) {
      tokens.push({ kind: 'date', text: m[0], upper: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const prev = tokens[tokens.length - 1];
    const signAllowed = !prev || prev.kind === 'op' || (prev.kind === 'punct' && (prev.text === '(' || prev.text === ',')) || (prev.kind === 'ident' && ['IN', 'LIMIT', 'OFFSET'].includes(prev.upper));
    m = NUMBER.exec(rest);
    if (m && (/\d|\./.test(c) || signAllowed)) {
      tokens.push({ kind: 'number', text: m[0], upper: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    m = IDENT.exec(rest);
    if (m) {
      tokens.push({ kind: 'ident', text: m[0], upper: m[0].toUpperCase(), pos: i });
      i += m[0].length;
      continue;
    }
    const two = soql.slice(i, i + 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two === '<>' ? '!=' : two, upper: two, pos: i });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      tokens.push({ kind: 'op', text: c, upper: c, pos: i });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === ':') {
      tokens.push({ kind: 'punct', text: c, upper: c, pos: i });
      i++;
      continue;
    }
    throw soqlError('MALFORMED_QUERY', soql, i, `line 1:${i} no viable alternative at character '${c}'`);
  }
  tokens.push({ kind: 'eof', text: '', upper: '', pos: n });
  return tokens;
}
