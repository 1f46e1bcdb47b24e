import type { z } from 'zod';
import { CrmError } from '../../src/errors/crm-error';
import type { PollCursor } from '../types';

/**
 * Reads and writes a connector's poll cursor: the saved JSON value is checked against the
 * connector's schema (a cursor this connector did not write is refused with what to do), and a
 * cursor is saved as plain JSON (arrays copied, absent fields left out).
 */
export function pollCursorCodec<T extends object>(schema: z.ZodType<T>, crm: string, label: string) {
  return {
    read(cursor: PollCursor, tenant: string): T {
      const parsed = schema.safeParse(cursor);
      if (!parsed.success) {
        throw new CrmError(`the saved ${label} poll cursor of ${tenant} is not one this connector wrote; start a full pass (cursor null)`, 'INVALID_REQUEST', false, { crm, tenant });
      }
      return parsed.data;
    },
    write(c: T): PollCursor {
      return JSON.parse(JSON.stringify(c)) as PollCursor;
    },
  };
}
