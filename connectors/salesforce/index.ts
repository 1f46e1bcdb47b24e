import express, { type Router } from 'express';
import { CrmError } from '../../src/errors/crm-error';
import type { ServiceContext } from '../../src/pipeline/context';
import type { CrmConnector, CrmOwner, FetchResult, PollCursor, PollPage, ScoreWrite, TaskChanges, TaskInput, TaskState, WriteOutcome } from '../types';
import { SalesforceClients } from './client';
import { BATCH_SIZE, fetchRecords, type RecordDeps } from './fetch-records';
import { installRouter } from './install-routes';
import { isObjectType, OBJECT_TYPES, salesforceMapping } from './mapping';
import { resolveOptions, type SalesforceConnectorOptions } from './options';
import { pollPage } from './poll';
import { setupTenant } from './setup-fields';
import { assignOwner, findAccountOwner, listOwners } from './owners';
import { closeTask, createTask, getTaskStatus, lastSalesActivity, updateTask } from './tasks';
import { webhookRouter } from './webhook-route';
import { writeScores } from './write-scores';

export type { SalesforceConnectorOptions, ApiBudgetOptions } from './options';
export { salesforceMetrics } from './metrics';
export { salesforceMapping, salesforceMappingOf, LEAD, CONTACT } from './mapping';
export { salesforceRecord, parseSalesforceRecord, salesforceRecordToLead, salesforceRecordToCrmRecord, objectMappingOf } from './to-lead';
export type { SalesforceRecord, RelatedRecords } from './to-lead';
export { tenantOf, orgIdOf, toId18 } from './tenant';
export { SalesforceClients } from './client';
export { SCORE_WRITE_HEADERS } from './write-scores';
export { PERMISSION_SET } from './setup-fields';
export type { SalesforcePollCursor } from './poll-cursor';

/** The Salesforce connector plus what only Salesforce has: the budgeted, token-managing call layer (for owners and SLA tasks) and the API budget. */
export interface SalesforceConnector extends CrmConnector {
  readonly clients: SalesforceClients;
}

/**
 * The Salesforce connector: Leads and Contacts read by SOQL (by id, and by a SystemModstamp poll)
 * with their CampaignMember, Task and Event records as events, scores written through sObject
 * Collections with `Sforce-Auto-Assign: FALSE`, the score fields and their field-level security
 * created on install, and the install, OAuth callback and Outbound Message routes mounted at the
 * root. All Salesforce traffic goes through `clients.call`, which keeps the org's daily API budget.
 */
export function createSalesforceConnector(ctx: ServiceContext, options: SalesforceConnectorOptions = {}): SalesforceConnector {
  const resolved = resolveOptions(options);
  const clients = new SalesforceClients(ctx, resolved);
  const deps = (): RecordDeps => ({ ctx, clients, mapping: salesforceMapping(ctx.config()), options: resolved });
  const setup = async (tenant: string): Promise<void> => {
    const inst = await ctx.installations.get(tenant);
    const userId = inst?.meta.userId;
    if (!userId) throw new CrmError(`${tenant} has no user id; install the connector again`, 'INVALID_REQUEST', false, { crm: 'salesforce', tenant });
    await setupTenant({ clients, mapping: salesforceMapping(ctx.config()) }, tenant, userId);
  };

  return {
    crm: 'salesforce',
    batchSize: BATCH_SIZE,
    clients,
    objectTypes: () => [...OBJECT_TYPES],
    async fetchRecords(tenant: string, objectType: string, ids: string[], signal?: AbortSignal): Promise<FetchResult> {
      assertObjectType(objectType, tenant);
      return fetchRecords(deps(), tenant, objectType, ids, signal);
    },
    async pollPage(tenant: string, objectType: string, cursor: PollCursor | null, signal?: AbortSignal): Promise<PollPage> {
      assertObjectType(objectType, tenant);
      return pollPage(deps(), tenant, objectType, cursor, signal);
    },
    async writeScores(tenant: string, writes: ScoreWrite[], signal?: AbortSignal): Promise<WriteOutcome[]> {
      return writeScores(clients, salesforceMapping(ctx.config()), tenant, writes, signal);
    },
    setupTenant: setup,
    listOwners: (tenant: string, signal?: AbortSignal): Promise<CrmOwner[]> => listOwners(clients, tenant, signal),
    findAccountOwner: (tenant: string, domain: string, signal?: AbortSignal): Promise<string | null> => findAccountOwner(clients, tenant, domain, signal),
    assignOwner: (tenant: string, objectType: string, id: string, ownerId: string, signal?: AbortSignal): Promise<void> => assignOwner(clients, tenant, objectType, id, ownerId, signal),
    createTask: (tenant: string, task: TaskInput, signal?: AbortSignal): Promise<string> => createTask(clients, tenant, task, signal),
    updateTask: (tenant: string, taskId: string, changes: TaskChanges, signal?: AbortSignal): Promise<void> => updateTask(clients, tenant, taskId, changes, signal),
    closeTask: (tenant: string, taskId: string, note: string, signal?: AbortSignal): Promise<void> => closeTask(clients, tenant, taskId, note, signal),
    getTaskStatus: (tenant: string, taskId: string, signal?: AbortSignal): Promise<TaskState> => getTaskStatus(clients, tenant, taskId, signal),
    async lastSalesActivity(tenant: string, objectType: string, id: string, signal?: AbortSignal): Promise<number | null> {
      const userId = (await ctx.installations.get(tenant))?.meta.userId;
      return lastSalesActivity(clients, tenant, objectType, id, userId, ctx.clock(), signal);
    },
    router(): Router {
      const router = express.Router();
      router.use(installRouter(ctx, setup));
      router.use(webhookRouter(ctx));
      return router;
    },
  };
}

function assertObjectType(objectType: string, tenant: string): void {
  if (!isObjectType(objectType)) throw new CrmError(`the Salesforce connector scores Leads and Contacts, not "${objectType}"`, 'INVALID_REQUEST', false, { crm: 'salesforce', tenant });
}
