import { Queue, type ConnectionOptions } from 'bullmq';

/** BullMQ queue names: one file per queue in jobs/. */
export const QUEUE_NAMES = { flush: 'flush', poll: 'poll', assign: 'assign', sla: 'sla' } as const;

export interface Queues {
  flush: Queue;
  poll: Queue;
  /** Owner routing (jobs/assign-queue.ts). */
  assign: Queue;
  /** SLA checks (jobs/sla-queue.ts). */
  sla: Queue;
  close(): Promise<void>;
}

/** The producers' side of every queue, under the service's Redis prefix. */
export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const opts = { connection, prefix: `${prefix}bull` };
  const flush = new Queue(QUEUE_NAMES.flush, {
    ...opts,
    defaultJobOptions: { attempts: 6, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 } },
  });
  const poll = new Queue(QUEUE_NAMES.poll, {
    ...opts,
    defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 } },
  });
  const routingJobs = { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 } };
  const assign = new Queue(QUEUE_NAMES.assign, { ...opts, defaultJobOptions: routingJobs });
  const sla = new Queue(QUEUE_NAMES.sla, { ...opts, defaultJobOptions: routingJobs });
  return {
    flush,
    poll,
    assign,
    sla,
    async close() {
      await Promise.all([flush.close(), poll.close(), assign.close(), sla.close()]);
    },
  };
}

/** BullMQ refuses ':' in custom job ids; tenants contain one (`hubspot:123`). */
export function jobKey(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replace(/:/g, '_')).join('|');
}
