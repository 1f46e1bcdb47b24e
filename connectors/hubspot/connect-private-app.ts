import { z } from 'zod';
import type { Env } from '../../src/env';
import { CrmError } from '../../src/errors/crm-error';
import type { ServiceContext } from '../../src/pipeline/context';
import { httpErrorOf } from './hubspot-http-error';
import { installPortal } from './install-portal';
import { toCrmError } from './to-crm-error';

/** `GET /account-info/v3/details`: the account a token belongs to (HubSpot documents these fields as always present). */
const accountDetails = z.object({
  portalId: z.number().int().positive(),
  timeZone: z.string().optional(),
  accountType: z.string().optional(),
  uiDomain: z.string().optional(),
});
export type AccountDetails = z.infer<typeof accountDetails>;

/** Reads the account of an access token; a refused token is CrmError AUTH_REVOKED. */
export async function fetchAccountDetails(env: Env, accessToken: string): Promise<AccountDetails> {
  const what = 'reading the account of the private-app token';
  let res: Response;
  try {
    res = await fetch(`${env.HUBSPOT_API_BASE_URL}/account-info/v3/details`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw toCrmError(err, undefined, what);
  }
  if (res.status === 401) {
    throw new CrmError(`${what}: HubSpot refused the token (is it the private app's access token, and is the app still installed?)`, 'AUTH_REVOKED', false, { crm: 'hubspot', status: 401 });
  }
  if (!res.ok) throw toCrmError(await httpErrorOf(res), undefined, what);
  const parsed = accountDetails.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) throw new CrmError(`${what}: the answer has no portalId`, 'UNKNOWN', false, { crm: 'hubspot' });
  return parsed.data;
}

/**
 * Installs a portal with a private-app access token (`npx lead-scorer connect hubspot --token TOKEN`):
 * reads the portal id, saves the installation (no refresh token, no expiry; `appKind: private`, which
 * gives the portal the private-app rate budget), creates the score properties and starts the first
 * full sync. Returns the tenant and portal id. Private apps need the contact read/write and schema
 * scopes of the OAuth app; they receive no webhooks from our app, so their contacts are kept fresh by polling.
 */
export async function connectPrivateApp(ctx: ServiceContext, token: string, setupTenant: (tenant: string) => Promise<void>): Promise<{ tenant: string; portalId: number }> {
  const accessToken = token.trim();
  if (!accessToken) throw new CrmError('no token given', 'INVALID_REQUEST', false, { crm: 'hubspot' });
  const account = await fetchAccountDetails(ctx.env, accessToken);
  const meta: Record<string, string> = {};
  if (account.timeZone) meta.timeZone = account.timeZone;
  if (account.accountType) meta.accountType = account.accountType;
  if (account.uiDomain) meta.uiDomain = account.uiDomain;
  const tenant = await installPortal(ctx, { portalId: account.portalId, appKind: 'private', tokens: { accessToken }, meta }, setupTenant);
  return { tenant, portalId: account.portalId };
}
