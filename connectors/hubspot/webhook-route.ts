import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { childLogger } from '../../src/logging/logger';
import { metrics } from '../../src/metrics';
import type { ServiceContext } from '../../src/pipeline/context';
import type { ContactLifecycle } from './contact-lifecycle';
import { hubspotMapping, outputNames } from './mapping';
import { meaningOf, parseWebhookEvents, type ContactAction, type HubSpotWebhookEvent } from './parse-webhook-events';
import { tenantOf } from './tenant';
import { CONTACT, propertiesToRequest } from './to-lead';
import { verifyHubSpotSignature } from './verify-hubspot-signature';

const log = childLogger('webhooks', { crm: 'hubspot' });

export const WEBHOOK_PATH = '/webhooks/hubspot';

/**
 * `POST /webhooks/hubspot`: keeps the raw bytes, verifies the v3 signature over
 * `PUBLIC_URL + originalUrl` (401, nothing enqueued, when it is missing, wrong or stale), parses the
 * array of events (400 when it is not one), and hands each installed, active portal's contacts to
 * the ingest: changes are scored, deletions and merged-away contacts forgotten. Events delivered
 * before (same eventId) are skipped; new ones are marked seen only after their work is in Redis.
 * 200 only then; 503 when Redis cannot take it, so that HubSpot retries.
 */
export function webhookRouter(ctx: ServiceContext, lifecycle: ContactLifecycle): Router {
  const router = express.Router();
  router.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: '1mb' }), async (req: Request, res: Response) => {
    const secret = ctx.env.HUBSPOT_CLIENT_SECRET;
    if (!secret) {
      log.error('a HubSpot webhook arrived but HUBSPOT_CLIENT_SECRET is not set: cannot verify it');
      res.status(503).json({ error: 'webhooks are not configured (HUBSPOT_CLIENT_SECRET)' });
      return;
    }
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifyHubSpotSignature(
      { method: req.method, uri: `${ctx.env.PUBLIC_URL}${req.originalUrl}`, rawBody, signature: req.get('x-hubspot-signature-v3'), timestamp: req.get('x-hubspot-request-timestamp') },
      secret,
      ctx.clock(),
    );
    if (!check.ok) {
      log.warn('refused a HubSpot webhook', { reason: check.reason });
      res.status(401).json({ error: 'invalid signature', reason: check.reason });
      return;
    }
    const type = req.get('content-type');
    if (type && !/^application\/json\b/i.test(type)) {
      res.status(415).json({ error: 'unsupported content type', reason: `expected application/json, got ${type}` });
      return;
    }
    const parsed = parseWebhookEvents(rawBody);
    if (!parsed.ok) {
      log.warn('a signed HubSpot webhook has a body we cannot read', { reason: parsed.reason });
      res.status(400).json({ error: 'invalid body', reason: parsed.reason });
      return;
    }
    try {
      const accepted = await handleEvents(ctx, lifecycle, parsed.events);
      res.status(200).json({ ok: true, events: parsed.events.length, accepted });
    } catch (err) {
      log.error('could not enqueue HubSpot webhook events; HubSpot will retry', { error: err instanceof Error ? err.message : String(err), events: parsed.events.length });
      res.status(503).json({ error: 'could not take the events now; retry later' });
    }
  });
  router.use(WEBHOOK_PATH, (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (status === 413) {
      res.status(413).json({ error: 'body too large' });
      return;
    }
    next(err);
  });
  return router;
}

/** Applies the events, portal by portal; resolves once every enqueue and forget resolved. Returns how many events led to work. */
async function handleEvents(ctx: ServiceContext, lifecycle: ContactLifecycle, events: HubSpotWebhookEvent[]): Promise<number> {
  const byPortal = new Map<string, HubSpotWebhookEvent[]>();
  const seenInBody = new Set<string>();
  for (const e of events) {
    if (seenInBody.has(e.eventId)) continue;
    seenInBody.add(e.eventId);
    const list = byPortal.get(e.portalId) ?? [];
    list.push(e);
    byPortal.set(e.portalId, list);
  }
  const counts = await Promise.all([...byPortal].map(([portalId, list]) => handlePortal(ctx, lifecycle, portalId, list)));
  return counts.reduce((a, b) => a + b, 0);
}

async function handlePortal(ctx: ServiceContext, lifecycle: ContactLifecycle, portalId: string, all: HubSpotWebhookEvent[]): Promise<number> {
  const tenant = tenantOf(portalId);
  const inst = await ctx.installations.get(tenant);
  if (!inst || inst.status !== 'active') {
    log.info('ignoring webhook events of a portal that is not installed or not active', { tenant, status: inst?.status ?? 'not installed', events: all.length });
    metrics.webhookEvents.inc({ crm: 'hubspot', result: 'portal_inactive' }, all.length);
    return 0;
  }
  // Events that mean nothing to us (our own properties coming back, properties we do not read) are
  // dropped before de-duplication: handling them again is harmless, so they cost no Redis key.
  const mapping = hubspotMapping(ctx.config());
  const own = new Set(Object.values(outputNames(mapping)));
  const read = new Set(propertiesToRequest(mapping).filter((p) => !own.has(p)));
  const meaningful: { event: HubSpotWebhookEvent; actions: ContactAction[] }[] = [];
  for (const e of all) {
    const meaning = meaningOf(e, read, own);
    if ('ignored' in meaning) {
      log.debug('ignored a HubSpot webhook event', { tenant, eventId: e.eventId, type: e.subscriptionType, reason: meaning.ignored });
      metrics.webhookEvents.inc({ crm: 'hubspot', result: 'ignored' });
      continue;
    }
    meaningful.push({ event: e, actions: meaning.actions });
  }
  if (meaningful.length === 0) return 0;
  const unseen = new Set(await ctx.ingest.unseenEvents(tenant, meaningful.map((m) => m.event.eventId)));
  const fresh = meaningful.filter((m) => unseen.has(m.event.eventId));
  if (fresh.length < meaningful.length) {
    log.debug('HubSpot delivered events again', { tenant, repeated: meaningful.length - fresh.length });
    metrics.webhookEvents.inc({ crm: 'hubspot', result: 'repeated' }, meaningful.length - fresh.length);
  }
  if (fresh.length === 0) return 0;
  const events = fresh.map((m) => m.event);
  const actions = fresh.flatMap((m) => m.actions);
  const used = fresh.length;
  const decision = await lifecycle.decide(portalId, actions);
  if (decision.stale) {
    log.info('dropped webhook events older than what is known of their contacts', { tenant, stale: decision.stale });
    metrics.webhookEvents.inc({ crm: 'hubspot', result: 'stale' }, decision.stale);
  }
  await Promise.all([
    decision.enqueue.length ? ctx.ingest.enqueue(tenant, CONTACT, decision.enqueue) : undefined,
    decision.forget.length ? ctx.ingest.forget(tenant, CONTACT, decision.forget) : undefined,
  ]);
  metrics.webhookEvents.inc({ crm: 'hubspot', result: 'enqueued' }, decision.enqueue.length);
  metrics.webhookEvents.inc({ crm: 'hubspot', result: 'forgotten' }, decision.forget.length);
  // only now: a failure above leaves the events unmarked, and HubSpot's retry does the work again
  await ctx.ingest.markEventsSeen(tenant, events.map((e) => e.eventId));
  log.info('HubSpot webhook events taken', { tenant, events: events.length, enqueued: decision.enqueue.length, forgotten: decision.forget.length });
  return used;
}
