import type { z } from 'zod';
import { branchPickerOf } from './union-branches';

/** The parts of a zod 4 schema definition the walker reads. */
interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  getter?: () => Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  items?: Schema[];
  rest?: Schema | null;
  options?: Schema[];
}
type Schema = z.core.$ZodType;

const def = (s: Schema): Def => s._zod.def as unknown as Def;

/** Strips optional/default/pipe/… wrappers down to the schema that says what the value looks like. */
export function unwrap(schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 50; i++) {
    const d = def(s);
    if (d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else if (d.type === 'lazy' && d.getter) s = d.getter();
    else return s;
  }
  return s;
}

/** The options of a union schema (after unwrapping), or undefined. */
export function unionOptions(schema: Schema): Schema[] | undefined {
  const d = def(unwrap(schema));
  return d.type === 'union' ? d.options : undefined;
}

/** The keys an object schema knows (after unwrapping), or undefined when it is not an object. */
export function objectKeys(schema: Schema): string[] | undefined {
  const d = def(unwrap(schema));
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : undefined;
}

/** Whether `schema` is `target` or a clone of it (`.describe()` and friends clone, sharing the definition). */
export function isSchema(schema: Schema, target: Schema): boolean {
  let s = schema;
  for (let i = 0; i < 50; i++) {
    if (s._zod.def === target._zod.def) return true;
    const d = def(s);
    if (!d.innerType) return false;
    s = d.innerType;
  }
  return false;
}

/**
 * The schema of the value at `path` under `schema` (as declared: not unwrapped), or undefined when
 * the path leaves the schema. `valueAt(i)` gives the input value after the first `i` segments; a
 * union on the way is resolved to the option the input meant (see `pickBranchBy`), or else to the
 * first option the next segment fits.
 */
export function schemaAt(schema: Schema, path: readonly PropertyKey[], valueAt: (depth: number) => unknown): Schema | undefined {
  let s: Schema | undefined = schema;
  for (let i = 0; i < path.length && s; i++) {
    const seg = path[i] as PropertyKey;
    s = step(resolveUnion(s, valueAt(i), seg), seg);
  }
  return s;
}

/** The option of a union an input meant (or the first that has `seg`); any other schema as it is, unwrapped. */
export function resolveUnion(schema: Schema, value: unknown, seg?: PropertyKey): Schema {
  let s = unwrap(schema);
  for (let depth = 0; depth < 10; depth++) {
    const options = unionOptions(s);
    if (!options) return s;
    const picked = branchPickerOf(s)?.(value);
    const option = picked !== undefined ? options[picked] : seg !== undefined ? options.find((o) => step(o, seg)) : undefined;
    if (!option) return s;
    s = unwrap(option);
  }
  return s;
}

function step(schema: Schema, seg: PropertyKey): Schema | undefined {
  const d = def(unwrap(schema));
  switch (d.type) {
    case 'object':
      return d.shape?.[String(seg)];
    case 'record':
      return d.valueType;
    case 'array':
      return typeof seg === 'number' ? d.element : undefined;
    case 'tuple':
      return typeof seg === 'number' ? (d.items?.[seg] ?? d.rest ?? undefined) : undefined;
    default:
      return undefined;
  }
}
