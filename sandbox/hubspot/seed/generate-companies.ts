/** Reproducible synthetic companies (domains under `.example`). */
import type { Prng } from '../../shared/prng';
import { CITIES, COUNTRIES, syntheticCompany } from '../../shared/synthetic-people';
import { COMPANY_INDUSTRY_VALUES } from '../store/default-properties';

const DAY = 86_400_000;

export function generateCompany(rng: Prng, n: number, now: number, historyDays: number, ownerIds: readonly string[]): { values: Record<string, string>; createdAt: number; updatedAt: number } {
  const { name, domain } = syntheticCompany(rng, n);
  const country = rng.weighted(COUNTRIES);
  const employees = rng.weighted<[number, number]>([[[1, 10], 20], [[11, 50], 30], [[51, 200], 25], [[201, 1000], 15], [[1001, 20000], 10]]);
  const headcount = rng.int(employees[0], employees[1]);
  const createdAt = Math.round(now - rng.next() * historyDays * DAY) - 60_000;
  const updatedAt = Math.round(createdAt + rng.next() * (now - 60_000 - createdAt));
  const values: Record<string, string> = {
    name,
    domain,
    website: `https://www.${domain}`,
    industry: rng.pick(COMPANY_INDUSTRY_VALUES),
    numberofemployees: String(headcount),
    annualrevenue: String(headcount * rng.int(50, 400) * 1000),
    country,
    city: rng.pick(CITIES[country] ?? ['Springfield']),
    lifecyclestage: rng.weighted([['lead', 5], ['opportunity', 2], ['customer', 3]]),
  };
  if (ownerIds.length > 0 && rng.chance(0.8)) values.hubspot_owner_id = rng.pick(ownerIds);
  return { values, createdAt, updatedAt };
}
