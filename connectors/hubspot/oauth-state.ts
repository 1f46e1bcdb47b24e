import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** How long an install link stays usable. */
export const OAUTH_STATE_TTL_S = 10 * 60;

const STATE_FORMAT = /^[A-Za-z0-9_-]{20,100}$/;

function stateKey(prefix: string, state: string): string {
  return `${prefix}oauth:hubspot:state:${state}`;
}

/** A fresh single-use `state` for one install attempt, kept in Redis for 10 minutes. */
export async function createOAuthState(redis: Redis, prefix: string): Promise<string> {
  const state = randomBytes(24).toString('base64url');
  await redis.set(stateKey(prefix, state), '1', 'EX', OAUTH_STATE_TTL_S);
  return state;
}

/** Consumes a `state` atomically (GETDEL): true once for a state we issued, false when unknown, expired or used. */
export async function consumeOAuthState(redis: Redis, prefix: string, state: unknown): Promise<boolean> {
  if (typeof state !== 'string' || !STATE_FORMAT.test(state)) return false;
  return (await redis.getdel(stateKey(prefix, state))) !== null;
}
