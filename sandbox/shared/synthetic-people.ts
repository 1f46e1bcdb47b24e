/**
 * Word lists for generated CRM records. Everything here is invented: given names and family names
 * are common words combined at random, companies are made from word parts, and every e-mail domain
 * ends in `.example` (RFC 2606), so no record can point at a real person or mailbox.
 */
import type { Prng } from './prng';

export const GIVEN_NAMES = [
  'Ada', 'Alex', 'Amara', 'Ana', 'Ben', 'Bruno', 'Carla', 'Chen', 'Dana', 'Dev', 'Elena', 'Emil',
  'Fatima', 'Felix', 'Grace', 'Hana', 'Hugo', 'Ines', 'Ivan', 'Jade', 'Jonas', 'Kai', 'Kira', 'Leo',
  'Lina', 'Luca', 'Maya', 'Mateo', 'Nia', 'Noah', 'Omar', 'Olga', 'Priya', 'Quinn', 'Rosa', 'Rui',
  'Sara', 'Sami', 'Tara', 'Theo', 'Uma', 'Vera', 'Wen', 'Yara', 'Yusuf', 'Zoe',
] as const;

export const FAMILY_NAMES = [
  'Abara', 'Baker', 'Castell', 'Dorn', 'Eklund', 'Ferreira', 'Garnet', 'Holt', 'Ibarra', 'Jansen',
  'Kowal', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quist', 'Rahman', 'Silva',
  'Tanaka', 'Ulrich', 'Varga', 'Weller', 'Xu', 'Yilmaz', 'Zeller', 'Alder', 'Brook', 'Cedar',
  'Fenwick', 'Harlow', 'Marsh', 'Rowan', 'Thorne', 'Vale',
] as const;

const COMPANY_FIRST = [
  'North', 'Blue', 'Bright', 'Cedar', 'Copper', 'Delta', 'Ember', 'Granite', 'Harbor', 'Iron',
  'Juniper', 'Kestrel', 'Lumen', 'Maple', 'Nimbus', 'Orbit', 'Pine', 'Quartz', 'River', 'Summit',
  'Tidal', 'Vertex', 'Willow', 'Zephyr',
] as const;

const COMPANY_SECOND = [
  'Analytics', 'Bio', 'Cloud', 'Dynamics', 'Foods', 'Freight', 'Health', 'Labs', 'Logistics',
  'Media', 'Metrics', 'Networks', 'Robotics', 'Software', 'Systems', 'Works',
] as const;

const COMPANY_SUFFIX = ['Inc', 'GmbH', 'Ltd', 'Co', 'Group', 'AB', 'SAS', ''] as const;

/** Job titles with a seniority bucket, so fit scoring has something to work with. */
export const JOB_TITLES: readonly (readonly [string, Seniority])[] = [
  ['Chief Executive Officer', 'executive'],
  ['Chief Technology Officer', 'executive'],
  ['Chief Marketing Officer', 'executive'],
  ['VP of Sales', 'vp'],
  ['VP of Engineering', 'vp'],
  ['VP Marketing', 'vp'],
  ['Director of Operations', 'director'],
  ['Director of Demand Generation', 'director'],
  ['Head of IT', 'director'],
  ['Sales Manager', 'manager'],
  ['Marketing Manager', 'manager'],
  ['Engineering Manager', 'manager'],
  ['Product Manager', 'manager'],
  ['Account Executive', 'employee'],
  ['Software Engineer', 'employee'],
  ['Marketing Specialist', 'employee'],
  ['Data Analyst', 'employee'],
  ['Customer Success Associate', 'employee'],
  ['Office Administrator', 'employee'],
  ['Student', 'employee'],
  ['Intern', 'employee'],
];

export type Seniority = 'executive' | 'vp' | 'director' | 'manager' | 'employee';

/** Readable industry names (a contact's `industry` is free text in HubSpot). */
export const INDUSTRIES = [
  'Computer Software', 'Information Technology and Services', 'Financial Services', 'Hospital & Health Care',
  'Marketing and Advertising', 'Retail', 'Education Management', 'Logistics and Supply Chain',
  'Telecommunications', 'Manufacturing', 'Construction', 'Nonprofit Organization Management', 'Government Administration',
] as const;

export const COUNTRIES: readonly (readonly [string, number])[] = [
  ['United States', 30], ['United Kingdom', 10], ['Germany', 10], ['France', 7], ['Canada', 6],
  ['Netherlands', 5], ['Sweden', 4], ['Spain', 4], ['Australia', 4], ['India', 6], ['Brazil', 4],
  ['Japan', 3], ['Nigeria', 2], ['Poland', 3], ['Singapore', 2],
];

export const CITIES: Record<string, readonly string[]> = {
  'United States': ['Boston', 'Austin', 'Denver', 'Chicago', 'Seattle'],
  'United Kingdom': ['London', 'Manchester', 'Leeds'],
  Germany: ['Berlin', 'Munich', 'Hamburg'],
  France: ['Paris', 'Lyon', 'Nantes'],
  Canada: ['Toronto', 'Vancouver', 'Montreal'],
  Netherlands: ['Amsterdam', 'Utrecht'],
  Sweden: ['Stockholm', 'Gothenburg'],
  Spain: ['Madrid', 'Barcelona'],
  Australia: ['Sydney', 'Melbourne'],
  India: ['Bengaluru', 'Pune', 'Hyderabad'],
  Brazil: ['São Paulo', 'Curitiba'],
  Japan: ['Tokyo', 'Osaka'],
  Nigeria: ['Lagos', 'Abuja'],
  Poland: ['Warsaw', 'Kraków'],
  Singapore: ['Singapore'],
};

export interface SyntheticCompany {
  name: string;
  /** Always under `.example`. */
  domain: string;
}

export function syntheticCompany(rng: Prng, index: number): SyntheticCompany {
  const first = rng.pick(COMPANY_FIRST);
  const second = rng.pick(COMPANY_SECOND);
  const suffix = rng.pick(COMPANY_SUFFIX);
  const name = suffix ? `${first} ${second} ${suffix}` : `${first} ${second}`;
  const domain = `${first}${second}${index}`.toLowerCase() + '.example';
  return { name, domain };
}

export interface SyntheticPerson {
  firstName: string;
  lastName: string;
  jobTitle: string;
  seniority: Seniority;
}

export function syntheticPerson(rng: Prng): SyntheticPerson {
  const [jobTitle, seniority] = rng.pick(JOB_TITLES);
  return { firstName: rng.pick(GIVEN_NAMES), lastName: rng.pick(FAMILY_NAMES), jobTitle, seniority };
}

/** `first.last<n>@domain`, lower case, ASCII only. */
export function syntheticEmail(person: SyntheticPerson, domain: string, n: number): string {
  const clean = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z]/g, '');
  return `${clean(person.firstName)}.${clean(person.lastName)}${n}@${domain}`;
}

/** A phone number in the +1-555-01xx range reserved for fiction. */
export function syntheticPhone(rng: Prng): string {
  return `+1 555 01${String(rng.int(0, 99)).padStart(2, '0')}`;
}
