/**
 * A local HubSpot for tests, the demo and the benchmarks. Point the real SDK at it:
 *
 *   const sb = await startHubSpotSandbox({ clientId, clientSecret, appId });
 *   const portal = sb.createPortal(123); portal.seedContacts(500);
 *   const { access_token } = sb.issueToken(123);
 *   const client = new Client({ accessToken: access_token, basePath: sb.url });
 */
export { startHubSpotSandbox, HubSpotSandbox, type HubSpotSandboxOptions, type CreatePortalOptions } from './sandbox';
export type { Portal, WriteOptions } from './store/portal';
export type { CrmRecord } from './store/crm-record';
export type { Owner } from './store/owners';
export type { ObjectType } from './store/object-types';
export type { PropertyDefinition, PropertyGroup } from './store/default-properties';
export type { SeedContactsOptions, SeedOptions } from './seed/seed-portal';
export type { IssuedTokens, IssueOptions } from './auth/token-registry';
export type { RateLimitOptions } from './rate-limits';
export type { FailureRule } from './faults';
export type { SandboxStats, PortalStats, LoggedRequest } from './stats';
export type { WebhookEvent, WebhookEventInput } from './webhooks/webhook-events';
export type { SendWebhooksOptions, WebhookEmitOptions, WebhookSubscription, Delivery } from './webhooks/deliver';
export { signV3 } from './webhooks/sign-v3';
