import type { CrmOwner } from '../../connectors/types';
import type { RoutingConfig } from '../config/routing-schema';
import { emailDomainOf, type AttributeValue } from '../lead/lead';
import { compileValueTest } from '../scoring/value-test';

/**
 * The routing decision, pure and CRM-neutral: data in (the lead, the routing config, what the CRM
 * says about its owners, how loaded they are, the clock), a decision with its reason out. No I/O:
 * the caller looks up the account owner beforehand (`accountDomain` says for which domain), and the
 * Redis claim (assignment-store.ts) re-checks capacity atomically and runs the weighted rotation.
 */

/** What routing needs to know about a lead. */
export interface RoutingLead {
  attributes: Record<string, AttributeValue>;
  email?: string | undefined;
  /** The record's owner now, or null. */
  ownerId: string | null;
}

/** What the CRM and the store say about owners. */
export interface OwnerFacts {
  /** Every owner the CRM knows, by id (and by alias); an id it does not know cannot take leads. */
  owners: ReadonlyMap<string, CrmOwner>;
  /** Open (not yet worked) leads per owner, a snapshot: the claim re-checks it atomically. */
  load: ReadonlyMap<string, number>;
}

export interface ChooseInput {
  lead: RoutingLead;
  config: RoutingConfig;
  /** The named lists of scoring.yaml (free mail, target countries, ...). */
  lists: Readonly<Record<string, readonly string[]>>;
  facts: OwnerFacts;
  now: number;
  /** The owner of the company/account matching `accountDomain(lead)`, looked up by the caller; null when none. */
  accountOwner: string | null;
  /**
   * Recycling: the owner who let the SLA pass. The lead goes to another owner of the pool that its
   * rules name; the current owner is not a "human owner" to keep, and account matching is skipped.
   */
  recycleFrom?: string;
}

export interface PoolCandidate {
  owner: string;
  weight: number;
}

export interface Skipped {
  owner: string;
  why: 'inactive' | 'unknown to the CRM' | 'a queue' | 'out of office' | 'at capacity' | 'previous owner' | 'placeholder';
}

export type Decision =
  /** A person owns the lead and `overwriteHumanOwner` is false: it stays theirs. */
  | { kind: 'keep'; owner: string; why: string }
  /** The lead's domain matches an account whose owner can take it. */
  | { kind: 'account'; owner: string; domain: string; why: string }
  /** A rule named a pool: the claim picks among `candidates` by weighted rotation, skipping those at capacity. */
  | { kind: 'pool'; pool: string; rule: string; candidates: PoolCandidate[]; skipped: Skipped[]; why: string }
  /** Nobody else can take it: the configured fallback (an owner, or a queue). */
  | { kind: 'fallback'; owner: string; ownerKind: CrmOwner['kind']; why: string }
  /** Nobody can take it, not even a fallback: it stays as it is. */
  | { kind: 'none'; why: string };

/** The id as the CRM lists it: an alias (a Salesforce 15-character id) resolves to the owner's own id. */
export function canonicalOwner(owners: ReadonlyMap<string, CrmOwner>, id: string): string {
  return owners.get(id)?.id ?? id;
}

function isPlaceholder(config: Pick<RoutingConfig, 'placeholderOwners'>, owners: ReadonlyMap<string, CrmOwner>, id: string): boolean {
  const c = canonicalOwner(owners, id);
  return config.placeholderOwners.some((p) => p === id || canonicalOwner(owners, p) === c);
}

/** Whether the record's current owner is somebody routing must leave alone. */
export type OwnerStatus = 'nobody' | 'placeholder' | 'queue' | 'inactive' | 'person';

export function ownerStatus(ownerId: string | null, config: Pick<RoutingConfig, 'placeholderOwners'>, owners: ReadonlyMap<string, CrmOwner>): OwnerStatus {
  if (ownerId === null || ownerId === '') return 'nobody';
  if (isPlaceholder(config, owners, ownerId)) return 'placeholder';
  const o = owners.get(ownerId);
  // an id the CRM does not list is treated as a person: never take a lead from someone we cannot see
  if (!o) return 'person';
  if (o.kind === 'queue') return 'queue';
  return o.active ? 'person' : 'inactive';
}

/** Domains that are never a company's, whatever the lists say (the floor under `accountMatching.ignoreDomainsInList`). */
export const FREE_MAIL_FLOOR: readonly string[] = [
  'gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'hotmail.com', 'outlook.com', 'live.com', 'msn.com',
  'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.net', 'gmx.de',
  'web.de', 'mail.com', 'yandex.com', 'yandex.ru', 'mail.ru', 'qq.com', '163.com', '126.com', 'zoho.com',
];

/**
 * The email domain to look up an account for, or null: account matching is off, the lead has no
 * email, or the domain is free mail (the configured list, or the floor above).
 */
export function accountDomain(lead: RoutingLead, config: RoutingConfig, lists: ChooseInput['lists']): string | null {
  if (!config.accountMatching.enabled) return null;
  const raw = lead.attributes.emailDomain ?? (lead.email ? emailDomainOf(lead.email) : undefined) ?? (typeof lead.attributes.email === 'string' ? emailDomainOf(lead.attributes.email) : undefined);
  if (typeof raw !== 'string') return null;
  const domain = raw.trim().toLowerCase();
  if (domain === '' || !domain.includes('.')) return null;
  const ignored = [...(lists[config.accountMatching.ignoreDomainsInList] ?? []), ...FREE_MAIL_FLOOR];
  return compileValueTest({ in: ignored }, {}).test(domain, 0) ? null : domain;
}

/** Whether `owner` is away at `now` (routing.yaml `outOfOffice`, keyed by any spelling of the id; `to` is exclusive after parsing). */
export function isOutOfOffice(config: Pick<RoutingConfig, 'outOfOffice'>, owner: string, now: number, owners: ReadonlyMap<string, CrmOwner> = new Map()): boolean {
  const c = canonicalOwner(owners, owner);
  return Object.entries(config.outOfOffice).some(([id, away]) => (id === owner || canonicalOwner(owners, id) === c) && away.some((a) => now >= a.from && now < a.to));
}

interface CompiledRule {
  id: string;
  pool: string;
  holds: (attrs: Record<string, AttributeValue>, now: number) => boolean;
}

/** Compiled once per rules array and lists object (a reload replaces them). */
const compiledRules = new WeakMap<object, { lists: object; rules: CompiledRule[] }>();

function rulesOf(config: RoutingConfig, lists: ChooseInput['lists']): CompiledRule[] {
  const hit = compiledRules.get(config.rules);
  if (hit && hit.lists === lists) return hit.rules;
  const mutableLists = lists as Record<string, string[]>;
  const compiled = config.rules.map((rule, i) => {
    const tests = rule.when.map((c) => ({ attribute: c.attribute, test: compileValueTest(c, mutableLists).test }));
    return { id: rule.id ?? `rules[${i}]`, pool: rule.pool, holds: (attrs: Record<string, AttributeValue>, now: number) => tests.every((t) => t.test(attrs[t.attribute], now)) };
  });
  compiledRules.set(config.rules, { lists, rules: compiled });
  return compiled;
}

/** The first rule whose conditions all hold, or undefined. */
export function matchRule(config: RoutingConfig, lists: ChooseInput['lists'], attrs: Record<string, AttributeValue>, now: number): { id: string; pool: string } | undefined {
  return rulesOf(config, lists).find((r) => r.holds(attrs, now));
}

/** Why `owner` cannot take a lead now, or undefined when it can. Capacity is left to the caller. */
function unavailable(input: ChooseInput, owner: string): Skipped['why'] | undefined {
  const { owners } = input.facts;
  if (input.recycleFrom !== undefined && canonicalOwner(owners, owner) === canonicalOwner(owners, input.recycleFrom)) return 'previous owner';
  if (isPlaceholder(input.config, owners, owner)) return 'placeholder';
  const o = owners.get(owner);
  if (!o) return 'unknown to the CRM';
  if (!o.active) return 'inactive';
  if (o.kind === 'queue') return 'a queue';
  if (isOutOfOffice(input.config, owner, input.now, owners)) return 'out of office';
  return undefined;
}

/**
 * Who gets the lead: its human owner keeps it (unless `overwriteHumanOwner`); else the owner of its
 * account (domain match, never free mail); else the pool of the first matching rule, among the
 * members who are active, in office and below capacity; else the fallback.
 */
export function chooseOwner(input: ChooseInput): Decision {
  const { config, lead, facts } = input;
  const recycling = input.recycleFrom !== undefined;

  if (!recycling) {
    const status = ownerStatus(lead.ownerId, config, facts.owners);
    if (status === 'person' && !config.overwriteHumanOwner) {
      return { kind: 'keep', owner: lead.ownerId as string, why: 'a person owns it (overwriteHumanOwner: false)' };
    }
  }

  if (!recycling && input.accountOwner !== null) {
    const domain = accountDomain(lead, config, input.lists);
    const why = unavailable(input, input.accountOwner);
    if (domain !== null && why === undefined) {
      return { kind: 'account', owner: canonicalOwner(facts.owners, input.accountOwner), domain, why: `account match on ${domain}` };
    }
  }

  const rule = matchRule(config, input.lists, lead.attributes, input.now);
  if (!rule) return fallbackDecision(input, 'no routing rule matched');
  const members = config.pools[rule.pool] ?? [];
  const candidates: PoolCandidate[] = [];
  const skipped: Skipped[] = [];
  const cap = config.capacity.maxActiveLeadsPerOwner;
  for (const m of members) {
    const owner = canonicalOwner(facts.owners, m.owner);
    const why = unavailable(input, m.owner) ?? ((facts.load.get(owner) ?? 0) >= cap ? 'at capacity' : undefined);
    if (why) skipped.push({ owner, why });
    else candidates.push({ owner, weight: m.weight });
  }
  if (candidates.length === 0) {
    const detail = skipped.map((s) => `${s.owner}: ${s.why}`).join(', ');
    return fallbackDecision(input, `nobody in pool ${rule.pool} can take it (${detail || 'no members'})`);
  }
  return { kind: 'pool', pool: rule.pool, rule: rule.id, candidates, skipped, why: `rule ${rule.id} → pool ${rule.pool}` };
}

/**
 * The fallback, for a lead no pool can take (`why` says what happened). A fallback owner who is
 * inactive or unknown to the CRM cannot take it either: then nobody does. Capacity and absences do
 * not apply to the fallback: it is the last resort.
 */
export function fallbackDecision(input: Pick<ChooseInput, 'config' | 'facts'>, why: string): Decision {
  const fb = input.config.fallback;
  if (!fb) return { kind: 'none', why: `${why}; no fallback configured` };
  const id = 'owner' in fb ? fb.owner : fb.queue;
  const o = input.facts.owners.get(id);
  if (!o) return { kind: 'none', why: `${why}; the fallback ${id} is unknown to the CRM` };
  if (!o.active) return { kind: 'none', why: `${why}; the fallback ${id} is inactive` };
  return { kind: 'fallback', owner: o.id, ownerKind: 'queue' in fb ? 'queue' : o.kind, why: `${why} → fallback` };
}
