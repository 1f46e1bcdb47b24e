/**
 * A SOQL parser for the subset a connector sends: SELECT with fields, relationship paths,
 * COUNT()/COUNT(f)/MIN/MAX/SUM/AVG, child subqueries; FROM one object; WHERE with AND/OR/NOT and
 * parentheses (mixing AND and OR without them is an error, as in SOQL), =, !=, <, <=, >, >=,
 * [NOT] IN (list or semi-join subquery), [NOT] LIKE, INCLUDES/EXCLUDES, date and date-time literals
 * and date functions (TODAY, LAST_N_DAYS:n, …); ORDER BY with ASC/DESC and NULLS FIRST/LAST;
 * LIMIT; OFFSET; WITH SECURITY_ENFORCED / USER_MODE; FOR VIEW/REFERENCE/UPDATE; ALL ROWS.
 */
import { tokenize, type Token } from './lexer';
import { soqlError } from './soql-error';

export type Literal =
  | { kind: 'string'; value: string; like: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'boolean'; value: boolean; pos: number }
  | { kind: 'null'; pos: number }
  | { kind: 'date'; value: string; pos: number }
  | { kind: 'datetime'; text: string; pos: number }
  | { kind: 'dateFn'; name: string; n?: number; pos: number };

export type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'cmp'; path: string; pathPos: number; op: Comparison; value: Literal }
  | { kind: 'in'; path: string; pathPos: number; negated: boolean; values: Literal[] }
  | { kind: 'semijoin'; path: string; pathPos: number; negated: boolean; query: SoqlQuery }
  | { kind: 'like'; path: string; pathPos: number; negated: boolean; pattern: Literal }
  | { kind: 'includes'; path: string; pathPos: number; negated: boolean; values: Literal[] };

export type SelectItem =
  | { kind: 'field'; path: string; pos: number }
  | { kind: 'aggregate'; fn: 'COUNT' | 'COUNT_DISTINCT' | 'MIN' | 'MAX' | 'SUM' | 'AVG'; path?: string; alias?: string; pos: number }
  | { kind: 'subquery'; query: SoqlQuery; pos: number };

export interface OrderItem {
  path: string;
  pos: number;
  descending: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery {
  text: string;
  select: SelectItem[];
  from: string;
  fromPos: number;
  alias?: string;
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
  allRows: boolean;
  /** `SELECT COUNT() FROM …`: only the count, no rows. */
  countOnly: boolean;
}

const CLAUSE_KEYWORDS = new Set(['WHERE', 'WITH', 'GROUP', 'ORDER', 'LIMIT', 'OFFSET', 'FOR', 'ALL', 'USING', 'HAVING', 'FROM']);
const DATE_FNS_N = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS', 'N_DAYS_AGO', 'LAST_N_WEEKS', 'NEXT_N_WEEKS', 'LAST_N_MONTHS', 'NEXT_N_MONTHS', 'N_MONTHS_AGO', 'LAST_N_YEARS', 'NEXT_N_YEARS']);
const DATE_FNS = new Set(['YESTERDAY', 'TODAY', 'TOMORROW', 'LAST_WEEK', 'THIS_WEEK', 'NEXT_WEEK', 'LAST_MONTH', 'THIS_MONTH', 'NEXT_MONTH', 'LAST_90_DAYS', 'NEXT_90_DAYS', 'THIS_YEAR', 'LAST_YEAR', 'NEXT_YEAR']);

export function parseSoql(soql: string): SoqlQuery {
  const parser = new Parser(soql, tokenize(soql));
  const query = parser.query(false);
  parser.expectEnd();
  return query;
}

class Parser {
  private i = 0;

  constructor(
    private readonly soql: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private unexpected(t: Token = this.peek()): never {
    throw soqlError('MALFORMED_QUERY', this.soql, t.pos, t.kind === 'eof' ? 'unexpected token: <EOF>' : `unexpected token: '${t.text}'`);
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.upper === word;
  }

  private keyword(word: string): Token {
    if (!this.isKeyword(word)) this.unexpected();
    return this.next();
  }

  private punct(p: string): Token {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== p) this.unexpected();
    return this.next();
  }

  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }

  expectEnd(): void {
    if (this.peek().kind !== 'eof') this.unexpected();
  }

  query(nested: boolean): SoqlQuery {
    const start = this.peek();
    this.keyword('SELECT');
    const select: SelectItem[] = [];
    do {
      select.push(this.selectItem());
    } while (this.isPunct(',') && this.next());
    this.keyword('FROM');
    const fromTok = this.next();
    if (fromTok.kind !== 'ident' || fromTok.text.includes('.') && !nested) this.unexpected(fromTok);
    let alias: string | undefined;
    const maybeAlias = this.peek();
    if (maybeAlias.kind === 'ident' && !CLAUSE_KEYWORDS.has(maybeAlias.upper)) {
      alias = maybeAlias.text;
      this.next();
    }
    let where: Condition | undefined;
    if (this.isKeyword('WHERE')) {
      this.next();
      where = this.condition();
    }
    if (this.isKeyword('WITH')) {
      this.next();
      const w = this.next();
      if (w.kind !== 'ident' || !['SECURITY_ENFORCED', 'USER_MODE', 'SYSTEM_MODE'].includes(w.upper)) this.unexpected(w);
    }
    if (this.isKeyword('GROUP')) {
      throw soqlError('MALFORMED_QUERY', this.soql, this.peek().pos, 'GROUP BY is not supported by this sandbox');
    }
    const orderBy: OrderItem[] = [];
    if (this.isKeyword('ORDER')) {
      this.next();
      this.keyword('BY');
      do {
        const t = this.next();
        if (t.kind !== 'ident') this.unexpected(t);
        let descending = false;
        if (this.isKeyword('ASC')) this.next();
        else if (this.isKeyword('DESC')) {
          this.next();
          descending = true;
        }
        let nullsLast = descending;
        if (this.isKeyword('NULLS')) {
          this.next();
          const w = this.next();
          if (w.upper === 'FIRST') nullsLast = false;
          else if (w.upper === 'LAST') nullsLast = true;
          else this.unexpected(w);
        }
        orderBy.push({ path: t.text, pos: t.pos, descending, nullsLast });
      } while (this.isPunct(',') && this.next());
    }
    let limit: number | undefined;
    if (this.isKeyword('LIMIT')) {
      this.next();
      limit = this.integer();
    }
    let offset: number | undefined;
    if (this.isKeyword('OFFSET')) {
      const t = this.next();
      offset = this.integer();
      if (offset > 2000) throw soqlError('MALFORMED_QUERY', this.soql, t.pos, 'Maximum SOQL offset allowed is 2000');
    }
    if (this.isKeyword('FOR')) {
      this.next();
      const w = this.next();
      if (!['VIEW', 'REFERENCE', 'UPDATE'].includes(w.upper)) this.unexpected(w);
    }
    let allRows = false;
    if (this.isKeyword('ALL') && this.isKeyword('ROWS', 1)) {
      this.i += 2;
      allRows = true;
    }
    const end = nested ? this.peek().pos : this.soql.length;
    const countOnly = select.length === 1 && select[0]?.kind === 'aggregate' && select[0].fn === 'COUNT' && select[0].path === undefined;
    if (select.some((s) => s.kind === 'aggregate' && s.fn === 'COUNT' && s.path === undefined) && !countOnly) {
      const bad = select.find((s) => s.kind === 'aggregate' && s.path === undefined) as SelectItem;
      throw soqlError('MALFORMED_QUERY', this.soql, bad.pos, 'COUNT() must be the only element in the SELECT list.');
    }
    const hasAggregate = select.some((s) => s.kind === 'aggregate');
    if (hasAggregate && select.some((s) => s.kind !== 'aggregate') && !countOnly) {
      const bad = select.find((s) => s.kind === 'field') as SelectItem;
      throw soqlError('MALFORMED_QUERY', this.soql, bad.pos, `Field must be grouped or aggregated: ${(bad as { path: string }).path}`);
    }
    return { text: this.soql.slice(start.pos, end), select, from: fromTok.text, fromPos: fromTok.pos, alias, where, orderBy, limit, offset, allRows, countOnly };
  }

  private integer(): number {
    const t = this.next();
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) this.unexpected(t);
    return Number(t.text);
  }

  private selectItem(): SelectItem {
    const t = this.peek();
    if (this.isPunct('(')) {
      this.next();
      const query = this.query(true);
      this.punct(')');
      return { kind: 'subquery', query, pos: t.pos };
    }
    if (t.kind !== 'ident') this.unexpected(t);
    const fn = t.upper;
    if (['COUNT', 'COUNT_DISTINCT', 'MIN', 'MAX', 'SUM', 'AVG'].includes(fn) && this.peek(1).kind === 'punct' && this.peek(1).text === '(') {
      this.i += 2;
      let path: string | undefined;
      if (!this.isPunct(')')) {
        const f = this.next();
        if (f.kind !== 'ident') this.unexpected(f);
        path = f.text;
      }
      this.punct(')');
      if (fn !== 'COUNT' && path === undefined) this.unexpected();
      let alias: string | undefined;
      const a = this.peek();
      if (a.kind === 'ident' && !CLAUSE_KEYWORDS.has(a.upper)) {
        alias = a.text;
        this.next();
      }
      return { kind: 'aggregate', fn: fn as 'COUNT', path, alias, pos: t.pos };
    }
    if (fn === 'TYPEOF' || fn === 'FIELDS') throw soqlError('MALFORMED_QUERY', this.soql, t.pos, `${fn} is not supported by this sandbox`);
    this.next();
    return { kind: 'field', path: t.text, pos: t.pos };
  }

  /** condition := term ((AND term)* | (OR term)*) — mixing AND and OR needs parentheses. */
  private condition(): Condition {
    const first = this.term();
    const items = [first];
    let joiner: 'AND' | 'OR' | undefined;
    while (this.isKeyword('AND') || this.isKeyword('OR')) {
      const t = this.peek();
      const word = t.upper as 'AND' | 'OR';
      if (joiner && joiner !== word) this.unexpected(t);
      joiner = word;
      this.next();
      items.push(this.term());
    }
    if (!joiner) return first;
    return joiner === 'AND' ? { kind: 'and', items } : { kind: 'or', items };
  }

  private term(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', item: this.term() };
    }
    if (this.isPunct('(')) {
      this.next();
      const inner = this.condition();
      this.punct(')');
      return inner;
    }
    const pathTok = this.next();
    if (pathTok.kind !== 'ident') this.unexpected(pathTok);
    const path = pathTok.text;
    const pathPos = pathTok.pos;
    const t = this.peek();
    if (t.kind === 'op') {
      this.next();
      return { kind: 'cmp', path, pathPos, op: t.text as Comparison, value: this.literal() };
    }
    let negated = false;
    if (this.isKeyword('NOT')) {
      this.next();
      negated = true;
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.punct('(');
      if (this.isKeyword('SELECT')) {
        const query = this.query(true);
        this.punct(')');
        return { kind: 'semijoin', path, pathPos, negated, query };
      }
      const values = this.literalList();
      return { kind: 'in', path, pathPos, negated, values };
    }
    if (this.isKeyword('LIKE')) {
      this.next();
      return { kind: 'like', path, pathPos, negated, pattern: this.literal() };
    }
    if (!negated && (this.isKeyword('INCLUDES') || this.isKeyword('EXCLUDES'))) {
      const excludes = this.next().upper === 'EXCLUDES';
      this.punct('(');
      return { kind: 'includes', path, pathPos, negated: excludes, values: this.literalList() };
    }
    return this.unexpected();
  }

  private literalList(): Literal[] {
    const values: Literal[] = [];
    do {
      values.push(this.literal());
    } while (this.isPunct(',') && this.next());
    this.punct(')');
    return values;
  }

  private literal(): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return { kind: 'string', value: t.text, like: t.likeText ?? t.text, pos: t.pos };
      case 'number':
        return { kind: 'number', value: Number(t.text), pos: t.pos };
      case 'date':
        return { kind: 'date', value: t.text, pos: t.pos };
      case 'datetime':
        return { kind: 'datetime', text: t.text, pos: t.pos };
      case 'ident': {
        if (t.upper === 'NULL') return { kind: 'null', pos: t.pos };
        if (t.upper === 'TRUE' || t.upper === 'FALSE') return { kind: 'boolean', value: t.upper === 'TRUE', pos: t.pos };
        if (DATE_FNS.has(t.upper)) return { kind: 'dateFn', name: t.upper, pos: t.pos };
        if (DATE_FNS_N.has(t.upper)) {
          this.punct(':');
          const n = this.next();
          if (n.kind !== 'number') this.unexpected(n);
          return { kind: 'dateFn', name: t.upper, n: Number(n.text), pos: t.pos };
        }
        return this.unexpected(t);
      }
      default:
        return this.unexpected(t);
    }
  }
}
