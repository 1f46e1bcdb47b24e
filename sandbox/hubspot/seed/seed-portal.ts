/** Fills a portal with owners, companies and contacts; the same seed gives the same data. */
import { Prng, seedFrom } from '../../shared/prng';
import { FAMILY_NAMES, GIVEN_NAMES } from '../../shared/synthetic-people';
import type { CrmRecord } from '../store/crm-record';
import type { Owner } from '../store/owners';
import type { Portal } from '../store/portal';
import { generateCompany } from './generate-companies';
import { generateContact } from './generate-contacts';

export interface SeedOptions {
  /** Seed of the generator; defaults to one derived from the portal id and the record type. */
  seed?: number | string;
  /** The "now" generated dates lead up to; defaults to the sandbox clock. Fix it for byte-identical data. */
  now?: number;
  /** How far back create dates go, in days. Default 365. */
  historyDays?: number;
}

export interface SeedContactsOptions extends SeedOptions {
  /** Share of contacts with an owner (active owners only). Default 0.3. */
  ownerShare?: number;
  /** Values set on every generated contact, after generation. */
  properties?: Record<string, string>;
  /** With an array of contacts: use only the given values, generate nothing. */
  bare?: boolean;
}

/**
 * `count` generated contacts, or one per entry of `list`, each entry's values overriding the
 * generated ones (`createdate` and `lastmodifieddate` in an entry set the record's times).
 */
export function seedContacts(portal: Portal, countOrList: number | readonly Record<string, string>[], opts: SeedContactsOptions = {}): CrmRecord[] {
  const store = portal.stores.contacts;
  const rng = new Prng(toSeed(opts.seed, `contacts:${portal.portalId}:${store.size}`));
  const now = opts.now ?? Date.now();
  const ctx = {
    rng,
    now,
    historyDays: opts.historyDays ?? 365,
    ownerShare: opts.ownerShare ?? 0.3,
    ownerIds: portal.owners.filter((o) => !o.archived).map((o) => o.id),
    companies: [...portal.companies.values()].map((c) => ({ id: c.id, name: c.get('name') ?? '', domain: c.get('domain') ?? 'company.example', country: c.get('country') })),
  };
  const list = typeof countOrList === 'number' ? undefined : countOrList;
  const count = list ? list.length : (countOrList as number);
  const rows: { values: Record<string, string>; createdAt: number; updatedAt: number }[] = [];
  const companyLinks: (string | undefined)[] = [];
  const start = store.size + store.archivedRecords.size;
  for (let i = 0; i < count; i++) {
    const given = list?.[i];
    const generated = given && opts.bare ? { values: {}, createdAt: now - 60_000, updatedAt: now - 60_000, companyId: undefined } : generateContact(ctx, start + i + 1);
    const values: Record<string, string> = { ...generated.values, ...(opts.properties ?? {}), ...(given ?? {}) };
    const createdAt = timeOf(values.createdate) ?? generated.createdAt;
    const updatedAt = timeOf(values.lastmodifieddate) ?? Math.max(generated.updatedAt, createdAt);
    delete values.lastmodifieddate;
    delete values.hs_lastmodifieddate;
    delete values.createdate;
    delete values.hs_object_id;
    rows.push({ values, createdAt, updatedAt });
    companyLinks.push(values.associatedcompanyid ?? generated.companyId);
  }
  const made = store.createMany(rows);
  made.forEach((record, i) => {
    const companyId = companyLinks[i];
    if (companyId && portal.companies.has(companyId)) portal.associations.add('contacts', record.id, 'companies', companyId, 1);
    portal.noteSeededTime(record.updatedAt);
  });
  return made;
}

export function seedCompanies(portal: Portal, count: number, opts: SeedOptions = {}): CrmRecord[] {
  const store = portal.stores.companies;
  const rng = new Prng(toSeed(opts.seed, `companies:${portal.portalId}:${store.size}`));
  const now = opts.now ?? Date.now();
  const ownerIds = portal.owners.filter((o) => !o.archived).map((o) => o.id);
  const rows = [];
  for (let i = 0; i < count; i++) rows.push(generateCompany(rng, store.size + i + 1, now, opts.historyDays ?? 730, ownerIds));
  const made = store.createMany(rows);
  for (const r of made) portal.noteSeededTime(r.updatedAt);
  return made;
}

/** `active` owners plus `archived` archived ones, with synthetic names and `@<hubDomain>` e-mails. */
export function seedOwners(portal: Portal, active: number, archived = 0, seed?: number | string): Owner[] {
  const rng = new Prng(toSeed(seed, `owners:${portal.portalId}:${portal.owners.length}`));
  const made: Owner[] = [];
  for (let i = 0; i < active + archived; i++) {
    const firstName = rng.pick(GIVEN_NAMES);
    const lastName = rng.pick(FAMILY_NAMES);
    const n = portal.owners.length + 1;
    made.push(
      portal.addOwner({
        email: `${firstName}.${lastName}${n}@${portal.hubDomain}`.toLowerCase(),
        firstName,
        lastName,
        archived: i >= active,
        teams: rng.chance(0.5) ? [{ id: String(1000 + (i % 3)), name: ['Inbound', 'Outbound', 'Enterprise'][i % 3] ?? 'Inbound', primary: true }] : [],
      }),
    );
  }
  return made;
}

function toSeed(seed: number | string | undefined, fallback: string): number {
  if (seed === undefined) return seedFrom(fallback);
  return typeof seed === 'number' ? seed : seedFrom(seed);
}

function timeOf(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}
