/** Shared by the sandbox's own tests: an SDK client with no retries, and error capture. */
import { Client } from '@hubspot/api-client';
import type { HubSpotSandbox } from './sandbox';

export const APP = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', appId: 424242 } as const;

/**
 * The real SDK pointed at the sandbox. No retry or limiter options: the SDK keeps those in a
 * process-wide singleton, and a retrying client would hide the status codes under test.
 */
export function sdk(sb: HubSpotSandbox, accessToken: string): Client {
  return new Client({ accessToken, basePath: sb.url });
}

export interface CapturedError {
  code: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** The SDK's ApiException (code, parsed body, headers) from a call that must fail. */
export async function failure(call: Promise<unknown>): Promise<CapturedError> {
  try {
    await call;
  } catch (e) {
    const err = e as { code?: number; body?: unknown; headers?: Record<string, string> };
    if (typeof err.code !== 'number') throw e;
    const body = typeof err.body === 'string' ? (JSON.parse(err.body) as Record<string, unknown>) : ((err.body ?? {}) as Record<string, unknown>);
    return { code: err.code, body, headers: err.headers ?? {} };
  }
  throw new Error('expected the call to fail');
}
