import type { ServiceContext } from '../src/pipeline/context';
import { createHubSpotConnector } from './hubspot';
import { createSalesforceConnector } from './salesforce';
import type { CrmConnector } from './types';

/** Every CRM the service speaks, by the name that starts its tenant ids. Adding a CRM adds a line here. */
export type ConnectorFactory = (ctx: ServiceContext) => CrmConnector;

export const CONNECTOR_FACTORIES: Record<string, ConnectorFactory> = {
  hubspot: (ctx) => createHubSpotConnector(ctx),
  salesforce: (ctx) => createSalesforceConnector(ctx, { apiBudget: { maxShare: ctx.config().mappings.salesforce.apiBudget?.maxShare ?? 0.5 } }),
};
