import express, { type Router } from 'express';
import { CrmError } from '../../src/errors/crm-error';
import type { ServiceContext } from '../../src/pipeline/context';
import type { CrmConnector, FetchResult, PollCursor, PollPage, ScoreWrite, WriteOutcome } from '../types';
import { findCompanyOwner } from './account-owner';
import { HubSpotClients } from './client';
import { connectPrivateApp } from './connect-private-app';
import { ContactLifecycle } from './contact-lifecycle';
import { BATCH_SIZE, fetchContacts } from './fetch-records';
import { installRouter } from './install-routes';
import { hubspotMapping } from './mapping';
import { resolveOptions, type HubSpotConnectorOptions } from './options';
import { assignContactOwner, listHubSpotOwners } from './owners';
import { pollContacts } from './poll';
import { lastContactActivity } from './sales-activity';
import { setupContactProperties } from './setup-properties';
import { closeHubSpotTask, createHubSpotTask, hubSpotTaskStatus, updateHubSpotTask } from './tasks';
import { CONTACT } from './to-lead';
import { webhookRouter } from './webhook-route';
import { writeContactScores } from './write-scores';

export type { HubSpotConnectorOptions } from './options';
export { hubspotMetrics } from './metrics';
export { contactToLead, contactToRecord, propertiesToRequest, hubspotContact } from './to-lead';
export { hubspotMapping } from './mapping';
export { tenantOf, portalIdOf } from './tenant';
export { sdkClientOptions, HubSpotClients } from './client';
export type { HubSpotPollCursor } from './poll-cursor';

/** The HubSpot connector plus what only HubSpot has: the rate-limited, token-managing call wrapper (for owners and tasks). */
export interface HubSpotConnector extends CrmConnector {
  readonly clients: HubSpotClients;
}

/**
 * The HubSpot connector: contacts are read by batch and by a lastmodifieddate search walk, scores
 * written by batch update into the `lead_scoring` property group, and the install, OAuth callback and
 * webhook routes mounted at the root. Owner routing: owners (`/crm/v3/owners`), company owners by
 * domain, `hubspot_owner_id` on the contact, SLA tasks associated to the contact. All HubSpot traffic
 * goes through `clients.call`.
 */
export function createHubSpotConnector(ctx: ServiceContext, options: HubSpotConnectorOptions = {}): HubSpotConnector {
  const resolved = resolveOptions(options);
  const clients = new HubSpotClients(ctx, resolved);
  const lifecycle = new ContactLifecycle(ctx.redis, ctx.prefix, resolved.deletionMemoryMs, ctx.clock);
  const mapping = () => hubspotMapping(ctx.config());
  const setupTenant = (tenant: string) => setupContactProperties(clients, mapping(), tenant);

  return {
    crm: 'hubspot',
    batchSize: BATCH_SIZE,
    clients,
    objectTypes: () => [CONTACT],
    async fetchRecords(tenant: string, objectType: string, ids: string[], signal?: AbortSignal): Promise<FetchResult> {
      assertContact(objectType, tenant);
      return fetchContacts(clients, mapping(), tenant, ids, signal);
    },
    async pollPage(tenant: string, objectType: string, cursor: PollCursor | null, signal?: AbortSignal): Promise<PollPage> {
      assertContact(objectType, tenant);
      return pollContacts({ clients, mapping: mapping(), options: resolved, clock: ctx.clock }, tenant, cursor, signal);
    },
    async writeScores(tenant: string, writes: ScoreWrite[], signal?: AbortSignal): Promise<WriteOutcome[]> {
      return writeContactScores(clients, mapping(), tenant, writes, signal);
    },
    setupTenant,
    listOwners: (tenant, signal) => listHubSpotOwners(clients, tenant, signal),
    findAccountOwner: (tenant, domain, signal) => findCompanyOwner(clients, tenant, domain, signal),
    async assignOwner(tenant, objectType, id, ownerId, signal) {
      assertContact(objectType, tenant);
      await assignContactOwner(clients, tenant, id, ownerId, signal);
    },
    createTask: (tenant, task, signal) => createHubSpotTask(clients, tenant, task, signal),
    updateTask: (tenant, taskId, changes, signal) => updateHubSpotTask(clients, tenant, taskId, changes, signal),
    closeTask: (tenant, taskId, note, signal) => closeHubSpotTask(clients, tenant, taskId, note, signal),
    getTaskStatus: (tenant, taskId, signal) => hubSpotTaskStatus(clients, tenant, taskId, ctx.clock(), signal),
    async lastSalesActivity(tenant, objectType, id, signal) {
      assertContact(objectType, tenant);
      return lastContactActivity(clients, tenant, id, signal);
    },
    router(): Router {
      const router = express.Router();
      router.use(installRouter(ctx, setupTenant));
      router.use(webhookRouter(ctx, lifecycle));
      return router;
    },
  };
}

function assertContact(objectType: string, tenant: string): void {
  if (objectType !== CONTACT) throw new CrmError(`HubSpot scores contacts, not "${objectType}"`, 'INVALID_REQUEST', false, { crm: 'hubspot', tenant });
}

/**
 * For `npx lead-scorer connect hubspot --token TOKEN`: installs a portal with a private-app access
 * token (portal id from `GET /account-info/v3/details`), creates the score properties and starts the
 * first full sync.
 */
export function connectHubSpotPrivateApp(ctx: ServiceContext, token: string, options: HubSpotConnectorOptions = {}): Promise<{ tenant: string; portalId: number }> {
  const connector = createHubSpotConnector(ctx, options);
  return connectPrivateApp(ctx, token, connector.setupTenant);
}
