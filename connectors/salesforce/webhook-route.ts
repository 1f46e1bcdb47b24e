import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { childLogger } from '../../src/logging/logger';
import { metrics } from '../../src/metrics';
import type { ServiceContext } from '../../src/pipeline/context';
import { CONTACT, LEAD } from './mapping';
import { ackResponse, parseOutboundMessage, soapFault, type OutboundNotification } from './outbound-message';
import { isSalesforceId, tenantOf, toId18 } from './tenant';

const log = childLogger('webhooks', { crm: 'salesforce' });

export const WEBHOOK_PATH = '/webhooks/salesforce';

/**
 * `POST /webhooks/salesforce`: Salesforce Outbound Messages. Keeps the raw text, reads the SOAP
 * envelope strictly (400 with a SOAP fault when it is not one), and checks its OrganizationId (15 or
 * 18 characters) against the installations: an org that never installed the connector gets 403 and
 * nothing is queued. Notifications delivered before (same notification id) are skipped; the records
 * of the others are queued for scoring by type: Leads and Contacts; a converted Lead is forgotten
 * and its contact queued. Notification ids are marked seen only after the queueing resolved, and
 * only then does Salesforce get `<Ack>true</Ack>`; when Redis cannot take the work the answer is 503
 * without an Ack, so Salesforce delivers the message again (it retries for 24 h).
 *
 * Outbound Messages carry no signature: a forged message can only make the connector read records
 * of an installed org again (values always come from the API, never from the message).
 */
export function webhookRouter(ctx: ServiceContext): Router {
  const router = express.Router();
  router.post(WEBHOOK_PATH, express.text({ type: ['text/xml', 'application/xml', '*/*'], limit: '2mb' }), async (req: Request, res: Response) => {
    const body = typeof req.body === 'string' ? req.body : '';
    const parsed = parseOutboundMessage(body);
    if (!parsed.ok) {
      log.warn('refused a Salesforce outbound message we cannot read', { reason: parsed.reason });
      return soap(res, 400, soapFault('Client', parsed.reason));
    }
    const { message } = parsed;
    const tenant = tenantOf(message.organizationId);
    try {
      const inst = await ctx.installations.get(tenant);
      if (!inst) {
        log.warn('an outbound message came from an org that has not installed the connector', { tenant, notifications: message.notifications.length });
        metrics.webhookEvents.inc({ crm: 'salesforce', result: 'unknown_org' }, message.notifications.length);
        return soap(res, 403, soapFault('Client', `organization ${message.organizationId} has not installed this connector`));
      }
      if (inst.status !== 'active') {
        // acknowledged so that Salesforce stops sending; the poll reads every change once the org is active again
        log.info('ignoring outbound messages of an org that is not active', { tenant, status: inst.status, notifications: message.notifications.length });
        metrics.webhookEvents.inc({ crm: 'salesforce', result: 'org_inactive' }, message.notifications.length);
        return soap(res, 200, ackResponse());
      }
      const taken = await takeNotifications(ctx, tenant, message.notifications);
      if (message.skipped) metrics.webhookEvents.inc({ crm: 'salesforce', result: 'ignored' }, message.skipped);
      log.info('Salesforce outbound message taken', { tenant, actionId: message.actionId, notifications: message.notifications.length, ...taken });
      return soap(res, 200, ackResponse());
    } catch (err) {
      log.error('could not queue a Salesforce outbound message; Salesforce will deliver it again', { tenant, error: err instanceof Error ? err.message : String(err) });
      return soap(res, 503, soapFault('Server', 'the connector cannot take the message now; deliver it again later'));
    }
  });
  router.use(WEBHOOK_PATH, (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (status === 413 || status === 400) return soap(res, status, soapFault('Client', status === 413 ? 'message too large' : 'unreadable body'));
    next(err);
  });
  return router;
}

function soap(res: Response, status: number, xml: string): void {
  res.status(status).type('text/xml; charset=utf-8').send(xml);
}

/** Queues the records of the notifications not seen before, then marks them seen. */
async function takeNotifications(ctx: ServiceContext, tenant: string, all: OutboundNotification[]): Promise<{ enqueued: number; forgotten: number; repeated: number; ignored: number }> {
  const ids = [...new Set(all.map((n) => n.id))];
  const unseen = new Set(await ctx.ingest.unseenEvents(tenant, ids));
  const fresh = all.filter((n) => unseen.has(n.id));
  const repeated = all.length - fresh.length;
  if (repeated) metrics.webhookEvents.inc({ crm: 'salesforce', result: 'repeated' }, repeated);

  const enqueue = { [LEAD]: new Set<string>(), [CONTACT]: new Set<string>() };
  const forget = new Set<string>();
  let ignored = 0;
  for (const n of fresh) {
    if (n.objectType === LEAD) {
      const contact = n.fields.ConvertedContactId;
      if (n.fields.IsConverted === 'true' && contact && isSalesforceId(contact)) {
        forget.add(n.recordId);
        enqueue[CONTACT].add(toId18(contact));
      } else {
        // a conversion the message does not show is found when the lead is read
        enqueue[LEAD].add(n.recordId);
      }
    } else if (n.objectType === CONTACT) {
      enqueue[CONTACT].add(n.recordId);
    } else {
      ignored++;
    }
  }
  for (const id of forget) enqueue[LEAD].delete(id);
  await Promise.all([
    enqueue[LEAD].size ? ctx.ingest.enqueue(tenant, LEAD, [...enqueue[LEAD]]) : undefined,
    enqueue[CONTACT].size ? ctx.ingest.enqueue(tenant, CONTACT, [...enqueue[CONTACT]]) : undefined,
    forget.size ? ctx.ingest.forget(tenant, LEAD, [...forget]) : undefined,
  ]);
  // only now: a failure above leaves the notifications unmarked, and Salesforce's retry does the work again
  if (fresh.length) await ctx.ingest.markEventsSeen(tenant, [...new Set(fresh.map((n) => n.id))]);
  const enqueued = enqueue[LEAD].size + enqueue[CONTACT].size;
  metrics.webhookEvents.inc({ crm: 'salesforce', result: 'enqueued' }, enqueued);
  if (forget.size) metrics.webhookEvents.inc({ crm: 'salesforce', result: 'forgotten' }, forget.size);
  if (ignored) metrics.webhookEvents.inc({ crm: 'salesforce', result: 'ignored' }, ignored);
  return { enqueued, forgotten: forget.size, repeated, ignored };
}
