import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/** How long an install link stays usable. */
export const OAUTH_STATE_TTL_S = 10 * 60;

const STATE_FORMAT = /^[A-Za-z0-9_-]{20,100}$/;

/** What is kept with a state until its callback: the PKCE verifier, and facts the install needs then (the login host). */
export type KeptState = Record<string, string>;
const kept = z.record(z.string(), z.string());

function stateKey(prefix: string, crm: string, state: string): string {
  return `${prefix}oauth:${crm}:state:${state}`;
}

/** A PKCE pair (RFC 7636): a random 43-character verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * A fresh single-use `state` for one install attempt, kept in Redis for 10 minutes with `data`.
 * With `pkce`, a PKCE pair too: the verifier is kept under the state as `verifier` (never in a
 * cookie or the URL), the challenge goes to the CRM.
 */
export async function createInstallState(redis: Redis, prefix: string, crm: string, opts: { pkce?: boolean; data?: KeptState } = {}): Promise<{ state: string; challenge?: string }> {
  const state = randomBytes(24).toString('base64url');
  const pair = opts.pkce ? pkcePair() : undefined;
  const value: KeptState = { ...opts.data, ...(pair ? { verifier: pair.verifier } : {}) };
  await redis.set(stateKey(prefix, crm, state), JSON.stringify(value), 'EX', OAUTH_STATE_TTL_S);
  return pair ? { state, challenge: pair.challenge } : { state };
}

/**
 * Consumes a `state` atomically (GETDEL): once for a state we issued it returns what was kept with
 * it, and undefined when it is unknown, expired or already used.
 */
export async function consumeInstallState(redis: Redis, prefix: string, crm: string, state: unknown): Promise<KeptState | undefined> {
  if (typeof state !== 'string' || !STATE_FORMAT.test(state)) return undefined;
  const raw = await redis.getdel(stateKey(prefix, crm, state));
  if (raw === null) return undefined;
  try {
    const parsed = kept.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
