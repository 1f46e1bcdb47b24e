/** Shared by the sandbox's own tests: the connected app, a jsforce connection, error capture. */
import jsforce, { type Connection } from 'jsforce';
import type { SalesforceSandbox } from './sandbox';

export const APP = { clientId: 'sandbox-consumer-key', clientSecret: 'sandbox-consumer-secret' } as const;
export const REDIRECT_URI = 'http://localhost:3000/oauth/salesforce/callback';
export const VERSION = '62.0';

/** The real jsforce on a fresh token of the org's admin (no refresh token: 401s surface). */
export function connect(sb: SalesforceSandbox, orgId: string, opts: { userId?: string } = {}): Connection {
  const tokens = sb.issueTokens(orgId, { userId: opts.userId });
  return new jsforce.Connection({ instanceUrl: tokens.instance_url, accessToken: tokens.access_token, version: VERSION });
}

export interface CapturedError {
  errorCode: string;
  message: string;
  data: unknown;
}

/** jsforce's error (errorCode, message, data) from a call that must fail. */
export async function failure(call: PromiseLike<unknown>): Promise<CapturedError> {
  try {
    await call;
  } catch (e) {
    const err = e as { errorCode?: string; name?: string; message: string; data?: unknown };
    return { errorCode: err.errorCode ?? err.name ?? 'UNKNOWN', message: err.message, data: err.data };
  }
  throw new Error('expected the call to fail');
}

/** A raw REST call with fetch (status and headers matter). */
export async function call(sb: SalesforceSandbox, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  // Tests index into bodies freely; `any` keeps that terse.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, headers: res.headers, body: parsed as any };
}
