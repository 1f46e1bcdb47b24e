import type { z } from 'zod';

/**
 * Says which option of a `z.union` an input meant, so that a config error reports that option's
 * problems instead of every option's (zod's `invalid_union` holds one list of issues per option).
 * Returns the option's index, or undefined when the input does not say.
 */
export type BranchPicker = (input: unknown) => number | undefined;

const pickers = new WeakMap<object, BranchPicker>();

/**
 * Registers how to pick the option of `union` an input meant (for error messages only; parsing is
 * unchanged). Keyed by the schema's definition, which `.describe()`/`.optional()` clones share.
 */
export function pickBranchBy<T extends z.ZodUnion>(union: T, picker: BranchPicker): T {
  pickers.set(union._zod.def, picker);
  return union;
}

/** The picker registered for a union schema, if any. */
export function branchPickerOf(union: z.core.$ZodType): BranchPicker | undefined {
  return pickers.get(union._zod.def);
}

/** A picker that chooses by the first key the input has: `{sequence: 1, silence: 2, event: 0}`, else `otherwise`. */
export function byFirstKey(keys: [key: string, branch: number][], otherwise?: number): BranchPicker {
  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
    for (const [key, branch] of keys) if (key in input) return branch;
    return otherwise;
  };
}
