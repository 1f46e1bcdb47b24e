/**
 * The authorize request of the web server flow (`GET /services/oauth2/authorize`), checked as
 * Salesforce checks it: an unknown `client_id` or a `redirect_uri` that is not a callback URL of
 * the connected app shows an error page (no redirect); other problems go back to the app as
 * `redirect_uri?error=…&error_description=…&state=…`.
 */
import type { AppSettings } from '../routes/context';

export type AuthorizeCheck =
  | { ok: true; redirectUri: string; state?: string; codeChallenge?: string; scope: string }
  | { ok: false; kind: 'page'; error: string; description: string }
  | { ok: false; kind: 'redirect'; location: string };

export function callbackUrl(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

export function checkAuthorizeRequest(app: AppSettings, params: URLSearchParams): AuthorizeCheck {
  const clientId = params.get('client_id');
  if (!clientId || clientId !== app.clientId) return { ok: false, kind: 'page', error: 'invalid_client_id', description: 'client identifier invalid' };
  const redirectUri = params.get('redirect_uri');
  let valid = false;
  try {
    valid = !!redirectUri && new URL(redirectUri).protocol.length > 0;
  } catch {
    valid = false;
  }
  if (!redirectUri || !valid || (app.redirectUris && !app.redirectUris.includes(redirectUri))) {
    return { ok: false, kind: 'page', error: 'redirect_uri_mismatch', description: 'redirect_uri must match configuration' };
  }
  const state = params.get('state') ?? undefined;
  const back = (error: string, description: string): AuthorizeCheck => ({ ok: false, kind: 'redirect', location: callbackUrl(redirectUri, { error, error_description: description, state }) });
  const responseType = params.get('response_type');
  if (responseType !== 'code') return back('unsupported_response_type', 'response type not supported');
  const challenge = params.get('code_challenge') ?? undefined;
  const method = params.get('code_challenge_method');
  if (method && method !== 'S256') return back('invalid_request', 'invalid code challenge method');
  if (challenge === undefined && app.requirePkce) return back('invalid_request', 'missing required code challenge');
  if (challenge !== undefined && !/^[A-Za-z0-9\-_]{43}$/.test(challenge)) return back('invalid_request', 'invalid code challenge');
  const scope = (params.get('scope') ?? app.defaultScopes.join(' ')).trim().split(/\s+/).join(' ');
  return { ok: true, redirectUri, state, codeChallenge: challenge, scope };
}
