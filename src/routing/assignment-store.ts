import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PoolCandidate } from './choose-owner';

/**
 * Who owns which routed lead, in Redis, shared by every process:
 *  - `routing:<tenant>:lead:<type>:<id>`  a hash: the lead's routing state (below), with a generation
 *    number `gen` that every claim checks and bumps (compare-and-set: a stale worker's claim fails);
 *  - `routing:<tenant>:active:<owner>`    a set of the owner's open leads (`<type>/<id>`): their load,
 *    which capacity caps;
 *  - `routing:<tenant>:rr:<pool>`         a hash owner → current weight: the smooth weighted
 *    round-robin state of a pool (nginx's algorithm: over any run of picks, each owner's count stays
 *    within 1 of its weighted share);
 *  - `routing:<tenant>:lock:<type>:<id>`  the per-lead lock every assignment and SLA check holds.
 * Pick, capacity check and claim run in ONE Lua script, so two workers never give one lead to two
 * owners, never push an owner past the cap, and never skew the rotation.
 */

/** Picks the next owner of a pool by smooth weighted round robin among those below the cap, and claims the lead for them. */
const PICK_AND_CLAIM = `
local gen = tonumber(redis.call('HGET', KEYS[1], 'gen') or '0')
if gen ~= tonumber(ARGV[1]) then return {'stale', tostring(gen)} end
local cap = tonumber(ARGV[2])
local n = tonumber(ARGV[5])
local total = 0
local best = nil
local bestCw = nil
local cws = {}
for i = 1, n do
  local owner = ARGV[4 + 2 * i]
  local weight = tonumber(ARGV[5 + 2 * i])
  if redis.call('SCARD', KEYS[3 + i]) < cap then
    local cw = tonumber(redis.call('HGET', KEYS[2], owner) or '0') + weight
    cws[i] = cw
    total = total + weight
    if best == nil or cw > bestCw then
      best = i
      bestCw = cw
    end
  end
end
if best == nil then return {'full'} end
for i, cw in pairs(cws) do
  if i == best then cw = cw - total end
  redis.call('HSET', KEYS[2], ARGV[4 + 2 * i], string.format('%.17g', cw))
end
local owner = ARGV[4 + 2 * best]
if ARGV[4] == '1' then redis.call('SREM', KEYS[3], ARGV[3]) end
redis.call('SADD', KEYS[3 + best], ARGV[3])
redis.call('HSET', KEYS[1], 'gen', tostring(gen + 1), 'owner', owner)
for j = 6 + 2 * n, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[j], ARGV[j + 1]) end
return {'ok', owner}
`;

/** Claims the lead for a given owner (account match, kept owner, fallback): no rotation, no cap. */
const CLAIM_FIXED = `
local gen = tonumber(redis.call('HGET', KEYS[1], 'gen') or '0')
if gen ~= tonumber(ARGV[1]) then return {'stale', tostring(gen)} end
if ARGV[4] == '1' then redis.call('SREM', KEYS[3], ARGV[2]) end
if ARGV[3] == '1' then redis.call('SADD', KEYS[2], ARGV[2]) end
redis.call('HSET', KEYS[1], 'gen', tostring(gen + 1))
for j = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[j], ARGV[j + 1]) end
return {'ok'}
`;

/** Updates fields of the state if its generation is still `ARGV[1]`; optionally ends the owner's hold (SREM). */
const UPDATE_IF_GEN = `
local gen = tonumber(redis.call('HGET', KEYS[1], 'gen') or '0')
if gen ~= tonumber(ARGV[1]) then return 0 end
if ARGV[2] ~= '' then redis.call('SREM', KEYS[2], ARGV[2]) end
for j = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[j], ARGV[j + 1]) end
return 1
`;

const UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Where a routed lead is in its life: claimed (CRM not yet written), open (SLA watched), breached (waiting to be recycled), done. */
export type LeadRoutingStatus = 'claimed' | 'open' | 'breached' | 'done';
/** How the owner was chosen. */
export type AssignedHow = 'keep' | 'account' | 'pool' | 'fallback';

/** The routing state of one lead. Ids, times and labels only: no personal data. */
export interface LeadRouting {
  gen: number;
  status: LeadRoutingStatus;
  how: AssignedHow;
  owner: string;
  ownerKind: 'user' | 'queue';
  /** The CRM owner before routing assigned it ('' when none). */
  previousOwner: string;
  pool: string;
  rule: string;
  why: string;
  assignedAt: number;
  /** 1 once the CRM record carries `owner`. */
  ownerWritten: number;
  /** The open SLA task ('' when none). */
  taskId: string;
  /** Recycling: the previous owner's task, still to be closed ('' when none). */
  closeTaskId: string;
  /** Index of the SLA rule in force (-1: none applies). */
  slaIndex: number;
  slaMs: number;
  slaDueAt: number;
  /** 1 once the breach was counted. */
  slaBreached: number;
  /** When an untouched lead is taken back (0: never, e.g. kept owners and the fallback). */
  recycleAt: number;
  recycles: number;
  /** 1 when the lead reached the fallback after `recycle.maxTimes` reassignments. */
  flagged: number;
  /** The tier and score the task was written for. */
  tier: string;
  score: number;
  /** How it ended: met, late, breached, handed-over, gone. */
  outcome: string;
}

const NUMERIC: readonly (keyof LeadRouting)[] = ['gen', 'assignedAt', 'ownerWritten', 'slaIndex', 'slaMs', 'slaDueAt', 'slaBreached', 'recycleAt', 'recycles', 'flagged', 'score'];

export type LeadRoutingFields = Partial<Omit<LeadRouting, 'gen'>>;

export type ClaimResult = { ok: true; owner: string; gen: number } | { ok: false; reason: 'stale'; gen: number } | { ok: false; reason: 'full' };

export class AssignmentStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('routingPickAndClaim', { lua: PICK_AND_CLAIM });
    redis.defineCommand('routingClaimFixed', { numberOfKeys: 3, lua: CLAIM_FIXED });
    redis.defineCommand('routingUpdateIfGen', { numberOfKeys: 2, lua: UPDATE_IF_GEN });
  }

  private base(tenant: string) {
    return `${this.prefix}routing:${tenant}:`;
  }
  leadKey(tenant: string, objectType: string, id: string) {
    return `${this.base(tenant)}lead:${objectType}:${id}`;
  }
  activeKey(tenant: string, owner: string) {
    return `${this.base(tenant)}active:${owner}`;
  }
  private rrKey(tenant: string, pool: string) {
    return `${this.base(tenant)}rr:${pool}`;
  }
  private lockKey(tenant: string, objectType: string, id: string) {
    return `${this.base(tenant)}lock:${objectType}:${id}`;
  }

  /** The member that stands for a lead in an owner's active set. */
  static member(objectType: string, id: string): string {
    return `${objectType}/${id}`;
  }

  async get(tenant: string, objectType: string, id: string): Promise<LeadRouting | undefined> {
    const h = await this.redis.hgetall(this.leadKey(tenant, objectType, id));
    return h.gen === undefined ? undefined : parse(h);
  }

  /** The states of many leads in one round trip (undefined: never routed). */
  async getMany(tenant: string, objectType: string, ids: string[]): Promise<(LeadRouting | undefined)[]> {
    if (ids.length === 0) return [];
    const multi = this.redis.multi();
    for (const id of ids) multi.hgetall(this.leadKey(tenant, objectType, id));
    const results = (await multi.exec()) ?? [];
    return results.map(([err, h]) => {
      if (err) throw err;
      const hash = h as Record<string, string>;
      return hash.gen === undefined ? undefined : parse(hash);
    });
  }

  /** Open leads per owner. */
  async load(tenant: string, owners: string[]): Promise<Map<string, number>> {
    const unique = [...new Set(owners)];
    if (unique.length === 0) return new Map();
    const multi = this.redis.multi();
    for (const o of unique) multi.scard(this.activeKey(tenant, o));
    const results = (await multi.exec()) ?? [];
    return new Map(unique.map((o, i) => [o, Number(results[i]?.[1] ?? 0)]));
  }

  /** The leads an owner holds open (`<type>/<id>`). */
  async activeLeads(tenant: string, owner: string): Promise<string[]> {
    return this.redis.smembers(this.activeKey(tenant, owner));
  }

  /**
   * Picks the pool's next owner (smooth weighted round robin over `candidates`, skipping those whose
   * open leads reach `cap`) and claims the lead for them, if its state is still at generation
   * `expectedGen` (0: never routed). `previousOwner` (recycling) loses the lead from its open set.
   */
  async pickAndClaim(
    tenant: string,
    lead: { objectType: string; id: string; expectedGen: number; previousOwner?: string },
    pool: string,
    candidates: PoolCandidate[],
    cap: number,
    fields: LeadRoutingFields,
  ): Promise<ClaimResult> {
    const leadKey = this.leadKey(tenant, lead.objectType, lead.id);
    const prev = lead.previousOwner ? this.activeKey(tenant, lead.previousOwner) : leadKey;
    const keys = [leadKey, this.rrKey(tenant, pool), prev, ...candidates.map((c) => this.activeKey(tenant, c.owner))];
    const args: (string | number)[] = [lead.expectedGen, cap, AssignmentStore.member(lead.objectType, lead.id), lead.previousOwner ? '1' : '0', candidates.length];
    for (const c of candidates) args.push(c.owner, c.weight);
    args.push(...flatten(fields));
    const redis = this.redis as unknown as { routingPickAndClaim(n: number, ...a: (string | number)[]): Promise<string[]> };
    const [status, value] = await redis.routingPickAndClaim(keys.length, ...keys, ...args);
    if (status === 'ok') return { ok: true, owner: value as string, gen: lead.expectedGen + 1 };
    if (status === 'stale') return { ok: false, reason: 'stale', gen: Number(value) };
    return { ok: false, reason: 'full' };
  }

  /**
   * Claims the lead for `owner` without rotation or cap (account owner, kept owner, fallback), if its
   * state is still at `expectedGen`. `track`: the lead counts in the owner's open leads.
   */
  async claimFixed(
    tenant: string,
    lead: { objectType: string; id: string; expectedGen: number; previousOwner?: string },
    owner: string,
    track: boolean,
    fields: LeadRoutingFields,
  ): Promise<ClaimResult> {
    const leadKey = this.leadKey(tenant, lead.objectType, lead.id);
    const prev = lead.previousOwner ? this.activeKey(tenant, lead.previousOwner) : leadKey;
    const redis = this.redis as unknown as { routingClaimFixed(...a: (string | number)[]): Promise<string[]> };
    const [status, value] = await redis.routingClaimFixed(
      leadKey,
      this.activeKey(tenant, owner),
      prev,
      lead.expectedGen,
      AssignmentStore.member(lead.objectType, lead.id),
      track ? '1' : '0',
      lead.previousOwner ? '1' : '0',
      ...flatten({ ...fields, owner }),
    );
    if (status === 'ok') return { ok: true, owner, gen: lead.expectedGen + 1 };
    return { ok: false, reason: 'stale', gen: Number(value) };
  }

  /** Writes fields if the state is still at `gen` (false: another worker moved it on). `release`: the owner no longer holds the lead open. */
  async update(tenant: string, objectType: string, id: string, gen: number, fields: LeadRoutingFields, release?: { owner: string }): Promise<boolean> {
    const redis = this.redis as unknown as { routingUpdateIfGen(...a: (string | number)[]): Promise<number> };
    const leadKey = this.leadKey(tenant, objectType, id);
    const ok = await redis.routingUpdateIfGen(
      leadKey,
      release ? this.activeKey(tenant, release.owner) : leadKey,
      gen,
      release ? AssignmentStore.member(objectType, id) : '',
      ...flatten(fields),
    );
    return ok === 1;
  }

  /** Forgets a lead (deleted in the CRM): its state and its place in its owner's open leads. */
  async forget(tenant: string, objectType: string, id: string): Promise<void> {
    const state = await this.get(tenant, objectType, id);
    const multi = this.redis.multi().del(this.leadKey(tenant, objectType, id));
    if (state?.owner) multi.srem(this.activeKey(tenant, state.owner), AssignmentStore.member(objectType, id));
    await multi.exec();
  }

  /** Takes the per-lead lock for `ttlMs`; returns its token, or null when another worker holds it. */
  async lock(tenant: string, objectType: string, id: string, ttlMs: number): Promise<string | null> {
    const token = randomUUID();
    const ok = await this.redis.set(this.lockKey(tenant, objectType, id), token, 'PX', ttlMs, 'NX');
    return ok ? token : null;
  }

  async unlock(tenant: string, objectType: string, id: string, token: string): Promise<void> {
    await this.redis.eval(UNLOCK, 1, this.lockKey(tenant, objectType, id), token);
  }
}

function flatten(fields: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out.push(k, String(v));
  return out;
}

function parse(h: Record<string, string>): LeadRouting {
  const out: Record<string, string | number> = {
    status: 'claimed', how: 'pool', owner: '', ownerKind: 'user', previousOwner: '', pool: '', rule: '', why: '', taskId: '', closeTaskId: '', tier: '', outcome: '',
  };
  for (const [k, v] of Object.entries(h)) out[k] = (NUMERIC as readonly string[]).includes(k) ? Number(v) : v;
  for (const k of NUMERIC) out[k] ??= k === 'slaIndex' ? -1 : 0;
  return out as unknown as LeadRouting;
}
