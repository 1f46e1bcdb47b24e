import { globalRegistry, type z } from 'zod';
import { duration } from './duration';
import { isSchema, objectKeys, resolveUnion, schemaAt, unionOptions, unwrap } from './schema-walk';
import { suggest } from './suggest';
import { branchPickerOf } from './union-branches';

/** A problem inside one file, before the file name and the line are attached. */
export interface PathProblem {
  path: PropertyKey[];
  message: string;
}

export type Validation<T> = { success: true; data: T } | { success: false; problems: PathProblem[] };

/** Marks zod's built-in messages, which are rewritten here; messages the schemas set themselves are kept. */
const BUILT_IN = '\u0000built-in';

type Schema = z.core.$ZodType;
type Issue = z.core.$ZodIssue & { input?: unknown; note?: string; options?: unknown[]; discriminator?: string };

/**
 * Validates `data` against `schema` and explains every issue for an admin: unknown keys (with a
 * "did you mean"), missing keys, what was expected and what was found, and, for a union, only the
 * issues of the option the input meant.
 */
export function validateWith<S extends z.ZodType>(schema: S, data: unknown): Validation<z.output<S>> {
  let result: z.ZodSafeParseResult<z.output<S>>;
  try {
    result = schema.safeParse(data, { reportInput: true, error: () => BUILT_IN });
  } catch (err) {
    // A refinement that trips over data it did not expect is our bug, but the admin still gets a line, not a crash.
    return { success: false, problems: [{ path: [], message: `could not be checked (${err instanceof Error ? err.message : String(err)}); please report this` }] };
  }
  if (result.success) return { success: true, data: result.data };
  const problems = explainIssues(result.error.issues as Issue[], { schema, data, base: [] });
  return { success: false, problems: dedupe(problems) };
}

interface Context {
  /** The schema the issue paths are relative to (the root, or the union option being explained). */
  schema: Schema;
  data: unknown;
  /** Where that schema sits in the data. */
  base: PropertyKey[];
  /** Keys of the union's other options, to suggest from when a key is unknown at `base`. */
  siblingKeys?: string[];
}

function explainIssues(issues: Issue[], ctx: Context): PathProblem[] {
  return issues.flatMap((issue) => explainIssue(issue, ctx));
}

function explainIssue(issue: Issue, ctx: Context): PathProblem[] {
  const rel = issue.path as PropertyKey[];
  const path = [...ctx.base, ...rel];
  const value = getIn(ctx.data, path);
  const node = () => schemaAt(ctx.schema, rel, (depth) => getIn(ctx.data, [...ctx.base, ...rel.slice(0, depth)]));
  const own = issue.message !== BUILT_IN ? issue.message : undefined;

  switch (issue.code) {
    case 'invalid_union': {
      if (issue.note === 'No matching discriminator') {
        const options = (issue.options ?? []).map(String);
        const message =
          value === undefined
            ? `required but missing: expected one of ${options.join(', ')}`
            : `must be one of ${options.join(', ')}; found ${describeValue(value)}${suggest(String(value), options)}`;
        return [{ path, message }];
      }
      return explainUnion(issue as z.core.$ZodIssueInvalidUnion, path, value, node(), ctx);
    }
    case 'unrecognized_keys': {
      const here = node();
      const allowed = (here && objectKeys(resolveUnion(here, value))) ?? [];
      // Keys of the other forms of a union, whether zod reported the union or only the option it settled on.
      const options = here && unionOptions(here);
      const siblings = options ? options.flatMap((o) => objectKeys(o) ?? []) : rel.length === 0 ? (ctx.siblingKeys ?? []) : [];
      return issue.keys.map((key) => {
        const list = allowed.length > 0 ? `; allowed here: ${allowed.join(', ')}` : '';
        if (siblings.includes(key)) return { path: [...path, key], message: `"${key}" does not go with the other keys here${list}` };
        const hint = suggest(key, [...allowed, ...siblings]) || list;
        return { path: [...path, key], message: `unknown key "${key}"${hint}` };
      });
    }
    case 'invalid_type': {
      const expected = describeExpected(node(), issue.expected);
      if (value === undefined) {
        const about = descriptionOf(node());
        return [{ path, message: `required but missing: expected ${expected}${about ? ` (${about})` : ''}` }];
      }
      return [{ path, message: `expected ${expected}, found ${describeValue(value)}` }];
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const message =
        values.length === 1
          ? `must be ${values[0]}, found ${describeValue(value)}`
          : `must be one of ${issue.values.map(String).join(', ')}; found ${describeValue(value)}${suggest(String(value), issue.values.map(String))}`;
      return [{ path, message }];
    }
    case 'too_small':
    case 'too_big':
      return [{ path, message: own ? withFound(own, value) : sizeMessage(issue, value) }];
    case 'invalid_format':
      return [{ path, message: withFound(own ?? `does not have the expected form (${issue.format}${issue.pattern ? ` ${issue.pattern}` : ''})`, value) }];
    case 'not_multiple_of':
      return [{ path, message: own ?? `must be a multiple of ${String(issue.divisor)}, found ${describeValue(value)}` }];
    case 'invalid_key': {
      const why = issue.issues.map((i) => (i.message !== BUILT_IN ? i.message : 'not allowed as a key')).join('; ');
      return [{ path, message: `the key ${JSON.stringify(rel.at(-1) ?? '')} is not allowed: ${why}` }];
    }
    case 'custom':
      // Refinements word their own messages; only a text value (a regex, an id) is worth repeating.
      return [{ path, message: own ? (typeof value === 'string' ? withFound(own, value) : own) : 'is not valid' }];
    default:
      return [{ path, message: own ?? `is not valid (${issue.code})` }];
  }
}

/** Explains a union by the option the input meant, or says which kinds of value would do. */
function explainUnion(issue: z.core.$ZodIssueInvalidUnion, path: PropertyKey[], value: unknown, union: Schema | undefined, ctx: Context): PathProblem[] {
  const options = union ? unionOptions(union) : undefined;
  const branches = issue.errors as Issue[][];
  const picked = (union ? branchPickerOf(unwrap(union))?.(value) : undefined) ?? pickByIssues(branches, value);
  if (picked !== undefined && options?.[picked] && branches[picked]) {
    const siblingKeys = options.flatMap((o) => objectKeys(o) ?? []);
    return explainIssues(branches[picked], { schema: options[picked], data: ctx.data, base: path, siblingKeys });
  }
  const expected = [
    ...new Set(
      branches.flatMap((errs, i) =>
        errs.flatMap((e) => {
          if (e.path.length !== 0) return [];
          if (e.code === 'invalid_type') return [describeExpected(options?.[i], e.expected)];
          if (e.code === 'invalid_value') return [e.values.map((v) => JSON.stringify(v)).join(' or ')];
          return [];
        }),
      ),
    ),
  ];
  const message =
    expected.length > 0
      ? value === undefined
        ? `required but missing: expected ${joinOr(expected)}`
        : `expected ${joinOr(expected)}, found ${describeValue(value)}`
      : `does not fit any of the allowed forms (${branches.map((errs) => errs[0]?.message ?? '').filter((m) => m && m !== BUILT_IN).join(' / ')})`;
  return [{ path, message }];
}

/**
 * Without a registered picker: the option that accepts this kind of value and that the input's keys
 * fit best (fewest unknown and missing keys); undefined when no option accepts this kind of value.
 */
function pickByIssues(branches: Issue[][], value: unknown): number | undefined {
  const fits = branches
    .map((errs, i) => ({ i, errs }))
    .filter(({ errs }) => !errs.some((e) => e.path.length === 0 && (e.code === 'invalid_type' || e.code === 'invalid_value')));
  if (fits.length === 0) return undefined;
  const cost = (errs: Issue[]): number =>
    errs.reduce((n, e) => {
      if (e.code === 'unrecognized_keys' && e.path.length === 0) return n + 10 * e.keys.length;
      if (e.code === 'invalid_type' && e.path.length === 1 && getIn(value, e.path as PropertyKey[]) === undefined) return n + 10;
      return n + 1;
    }, 0);
  fits.sort((a, b) => cost(a.errs) - cost(b.errs));
  return fits[0]?.i;
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, value: unknown): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'array':
    case 'set':
      return small
        ? limit <= 1
          ? 'cannot be an empty list'
          : `needs at least ${limit} items, found ${Array.isArray(value) ? value.length : 0}`
        : `allows at most ${limit} items, found ${Array.isArray(value) ? value.length : '?'}`;
    case 'string':
      return small
        ? limit <= 1
          ? 'cannot be empty'
          : `must be at least ${limit} characters long`
        : `must be at most ${limit} characters long, found ${typeof value === 'string' ? value.length : '?'}`;
    default: {
      const bound = small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
      return `must be ${bound} ${limit}, found ${describeValue(value)}`;
    }
  }
}

/** What a schema expects, in an admin's words. */
function describeExpected(schema: Schema | undefined, expected: string): string {
  if (schema && isSchema(schema, duration)) return 'a duration like 90s, 15m, 2h or 7d';
  switch (expected) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'object':
    case 'record':
      return 'a mapping ("key: value" lines)';
    case 'array':
    case 'tuple':
      return 'a list ("- item" lines or [a, b])';
    case 'null':
      return 'nothing';
    default:
      return expected;
  }
}

/** The `.describe()` text of a schema (or of what it wraps), if any. */
function descriptionOf(schema: Schema | undefined): string | undefined {
  let s = schema;
  for (let i = 0; s && i < 10; i++) {
    const description = globalRegistry.get(s)?.description;
    if (description) return description;
    const inner = (s._zod.def as { innerType?: Schema }).innerType;
    if (!inner) break;
    s = inner;
  }
  return undefined;
}

/** How a value found in the file reads in a message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function withFound(message: string, value: unknown): string {
  if (value === undefined || typeof value === 'object') return message;
  const shown = typeof value === 'string' ? value : String(value);
  if (message.includes(shown)) return message;
  return `${message}; found ${describeValue(value)}`;
}

function joinOr(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** The value at `path` in plain data, or undefined. */
export function getIn(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg as string];
  }
  return v;
}

function dedupe(problems: PathProblem[]): PathProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path.map(String).join('\u0001')}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
