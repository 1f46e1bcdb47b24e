import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** How long an install link stays usable. */
export const OAUTH_STATE_TTL_S = 10 * 60;

const STATE_FORMAT = /^[A-Za-z0-9_-]{20,100}$/;

function stateKey(prefix: string, state: string): string {
  return `${prefix}oauth:salesforce:state:${state}`;
}

/** A PKCE pair (RFC 7636): a random 43-character verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * A fresh single-use `state` for one install attempt, with its PKCE pair. The verifier is kept in
 * Redis under the state for 10 minutes (never in a cookie or the URL); the challenge goes to Salesforce.
 */
export async function createInstallState(redis: Redis, prefix: string): Promise<{ state: string; challenge: string }> {
  const state = randomBytes(24).toString('base64url');
  const { verifier, challenge } = pkcePair();
  await redis.set(stateKey(prefix, state), verifier, 'EX', OAUTH_STATE_TTL_S);
  return { state, challenge };
}

/**
 * Consumes a `state` atomically (GETDEL) and returns its code verifier: once for a state we issued,
 * undefined when it is unknown, expired or already used. The verifier is gone from Redis from then
 * on; the caller uses it for the one code exchange and drops it.
 */
export async function consumeInstallState(redis: Redis, prefix: string, state: unknown): Promise<string | undefined> {
  if (typeof state !== 'string' || !STATE_FORMAT.test(state)) return undefined;
  return (await redis.getdel(stateKey(prefix, state))) ?? undefined;
}
