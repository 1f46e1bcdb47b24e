import ms from 'ms';
import { z } from 'zod';

const DURATION = /^\d+(\.\d+)?(ms|s|m|h|d|w)$/;

/** Parses `90s`, `15m`, `2h`, `7d`, `2w` into milliseconds; throws on anything else. */
export function parseDuration(text: string): number {
  if (!DURATION.test(text)) throw new Error(`"${text}" is not a duration like 90s, 15m, 2h or 7d`);
  return ms(text as ms.StringValue);
}

/** A config duration: a string like `90s`, `15m`, `2h`, `7d`, parsed to milliseconds. */
export const duration = z
  .string()
  .regex(DURATION, 'a duration is a number and a unit: 90s, 15m, 2h, 7d (units: ms, s, m, h, d, w)')
  .transform((s) => parseDuration(s))
  .refine((n) => n > 0, 'a duration must be longer than 0');
