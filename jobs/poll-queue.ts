import type { Job, Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CrmError } from '../src/errors/crm-error';
import { childLogger } from '../src/logging/logger';
import type { PipelineDeps } from '../src/pipeline/pipeline-deps';
import { scoreAndWrite } from '../src/pipeline/score-records';
import { jobKey } from './queues';

/**
 * The `poll` queue: read what changed in the CRM since the saved cursor, page by page, score and
 * write. The first run of a tenant is the full pass. It is the safety net for lost webhooks:
 * anything a webhook missed is picked up at the next poll. The cursor is saved after every page.
 */
export const pollJobData = z.object({ tenant: z.string().min(1), objectType: z.string().min(1) });
export type PollJobData = z.infer<typeof pollJobData>;

const log = childLogger('poll');

/** A poll job hands over to a fresh one after this long, so that shutdowns and other tenants are not held up. */
const JOB_BUDGET_MS = 120_000;
const LOCK_MS = 60_000;

/** Starts polling a tenant's object type now and then every `everyMs` (a job scheduler's first run is immediate). */
export async function schedulePolling(queue: Queue, data: PollJobData, everyMs: number): Promise<void> {
  await queue.upsertJobScheduler(jobKey('poll', data.tenant, data.objectType), { every: everyMs }, { name: 'poll', data });
}

/** One poll run right away (deduplicated while one is waiting). */
export async function pollNow(queue: Queue, data: PollJobData): Promise<void> {
  await queue.add('poll', data, { jobId: jobKey('poll-now', data.tenant, data.objectType, Date.now()) });
}

export async function stopPolling(queue: Queue, data: PollJobData): Promise<void> {
  await queue.removeJobScheduler(jobKey('poll', data.tenant, data.objectType));
}

export function pollProcessor(deps: PipelineDeps) {
  return async (job: Job): Promise<{ pages: number; records: number; written: number; skipped?: string }> => {
    const data = pollJobData.parse(job.data);
    const { tenant, objectType } = data;
    const { ctx, cursors } = deps;
    const inst = await ctx.installations.get(tenant);
    if (!inst || inst.status !== 'active') return { pages: 0, records: 0, written: 0, skipped: inst ? inst.status : 'not installed' };

    // One poller per tenant and object type at a time, across processes.
    const lockKey = `${ctx.prefix}lock:poll:${tenant}:${objectType}`;
    const owner = randomUUID();
    if (!(await ctx.redis.set(lockKey, owner, 'PX', LOCK_MS, 'NX'))) return { pages: 0, records: 0, written: 0, skipped: 'already polling' };

    const connector = deps.connectorFor(tenant);
    const started = ctx.clock();
    let cursor = await cursors.get(tenant, objectType);
    let pages = 0;
    let records = 0;
    let written = 0;
    // The write of page n runs while page n+1 is read: reads and writes use separate budgets.
    let inflight: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        if (deps.shutdown.aborted) break;
        const page = await connector.pollPage(tenant, objectType, cursor, deps.shutdown);
        pages++;
        records += page.records.length;
        const previous = inflight;
        inflight = (async () => {
          await previous;
          written += (await scoreAndWrite(deps, connector, tenant, page.records, deps.shutdown)).written;
          if (page.deleted.length) await deps.forget(tenant, objectType, page.deleted);
          await cursors.save(tenant, objectType, page.cursor);
          await ctx.redis.pexpire(lockKey, LOCK_MS);
        })();
        inflight.catch(() => undefined); // awaited below; this only marks it handled meanwhile
        cursor = page.cursor;
        if (page.done) break;
        if (ctx.clock() - started > JOB_BUDGET_MS) {
          await inflight;
          await pollNow(deps.queues.poll, data);
          break;
        }
        await previous;
      }
      await inflight;
    } catch (err) {
      if (err instanceof CrmError && (err.code === 'RATE_LIMITED' || err.code === 'BUDGET_EXHAUSTED')) {
        // The cursor of every finished page is saved: a poll queued for when the CRM said carries on.
        await inflight.catch(() => undefined);
        const waitMs = err.details.retryAfterMs ?? 60_000;
        await deps.queues.poll.add('poll', data, { jobId: jobKey('poll-after-wait', tenant, objectType, ctx.clock()), delay: waitMs });
        log.warn('CRM asked us to wait; polling resumes then', { tenant, objectType, code: err.code, waitMs });
        return { pages, records, written, skipped: err.code };
      }
      throw err;
    } finally {
      await ctx.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, lockKey, owner);
    }
    if (records) log.info('poll finished', { tenant, objectType, pages, records, written, ms: ctx.clock() - started });
    return { pages, records, written };
  };
}
