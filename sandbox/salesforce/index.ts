/**
 * A local Salesforce for tests, the demo and the benchmarks. Point the real jsforce at it:
 *
 *   const sb = await startSalesforceSandbox({ clientId, clientSecret });
 *   const org = sb.createOrg(makeOrgId(1)); org.seedLeads(500);
 *   const t = sb.issueTokens(org.id);
 *   const conn = new jsforce.Connection({ instanceUrl: t.instance_url, accessToken: t.access_token, version: '62.0' });
 */
export { startSalesforceSandbox, SalesforceSandbox, normalizeOrgId, type SalesforceSandboxOptions, type ApproveInstallOptions } from './sandbox';
export { SalesforceOrg, type CreateOrgOptions, type UserInfo, type QueueInfo, type ConvertLeadOptions } from './store/org';
export type { ApiRecord } from './store/render';
export type { TokenResponse } from './auth/token-registry';
export { s256 } from './auth/token-registry';
export type { FailureRule } from './faults';
export type { SandboxStats, OrgStats, LoggedRequest } from './stats';
export type { OutboundMessageOptions, OutboundDelivery } from './outbound/outbound-message';
export type { CustomFieldMetadata } from './schema/custom-field';
export type { SeedOptions, SeedLeadsOptions, SeedContactsOptions, SeedCampaignMembersOptions, SeedActivitiesOptions } from './seed/seed-org';
export { makeOrgId, to18, isWellFormedId, caseSuffix, KEY_PREFIXES } from './ids';
