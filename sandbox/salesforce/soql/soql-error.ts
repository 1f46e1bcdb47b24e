/**
 * SOQL errors as Salesforce words them: the query's line with a caret under the problem, then
 * `ERROR at Row:1:Column:N` and the message, under MALFORMED_QUERY, INVALID_FIELD or INVALID_TYPE.
 */
import { sfError, SfRequestError } from '../errors';

export type SoqlErrorCode = 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE' | 'INVALID_QUERY_FILTER_OPERATOR' | 'EXCEEDED_ID_LIMIT';

/** Builds the error for a problem at character offset `pos` (0-based) of `soql`. */
export function soqlError(code: SoqlErrorCode, soql: string, pos: number | undefined, message: string): SfRequestError {
  if (pos === undefined) return new SfRequestError(sfError(400, code, message));
  const before = soql.slice(0, pos);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const col = pos - lineStart + 1;
  const lineEnd = soql.indexOf('\n', pos);
  const line = soql.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  // Long lines are cut to the part around the error, as Salesforce does.
  const from = Math.max(0, col - 1 - 60);
  const shown = (from > 0 ? '' : '') + line.slice(from, col - 1 + 60);
  const caret = ' '.repeat(col - 1 - from) + '^';
  return new SfRequestError(sfError(400, code, `\n${shown}\n${caret}\nERROR at Row:${row}:Column:${col}\n${message}`));
}
