/**
 * Realistic, reproducible contacts: firmographics, web and e-mail engagement counters and dates,
 * form conversions and lifecycle stages that hang together (a "hot" lead has more page views and a
 * recent demo request; a bounced address has a bounce reason). All names and addresses are synthetic.
 */
import { Prng } from '../../shared/prng';
import { COUNTRIES, CITIES, INDUSTRIES, syntheticCompany, syntheticEmail, syntheticPerson, syntheticPhone } from '../../shared/synthetic-people';
import { ANALYTICS_SOURCE_VALUES, HARD_BOUNCE_VALUES, NUMEMPLOYEES_VALUES } from '../store/default-properties';

const DAY = 86_400_000;

const CONVERSIONS: readonly (readonly [string, number])[] = [
  ['Newsletter signup', 30],
  ['Ebook download: The Pipeline Playbook', 20],
  ['Webinar registration: Scoring 101', 15],
  ['Contact us form', 10],
  ['Pricing page form', 10],
  ['Free trial signup', 8],
  ['Demo request form', 7],
];

export interface GeneratedContact {
  values: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  /** The company to associate, when one of the portal's companies was used. */
  companyId?: string;
}

export interface ContactGenerationContext {
  rng: Prng;
  now: number;
  historyDays: number;
  ownerShare: number;
  ownerIds: readonly string[];
  companies: readonly { id: string; name: string; domain: string; country?: string }[];
}

type Temperature = 'cold' | 'warm' | 'hot';

export function generateContact(ctx: ContactGenerationContext, n: number): GeneratedContact {
  const { rng, now } = ctx;
  const iso = (t: number) => new Date(Math.round(t)).toISOString();
  const createdAt = Math.round(now - rng.next() * ctx.historyDays * DAY) - 60_000;
  const updatedAt = Math.round(createdAt + rng.next() * (now - 60_000 - createdAt));
  const temperature: Temperature = rng.weighted([['cold', 60], ['warm', 30], ['hot', 10]]);
  const person = syntheticPerson(rng);

  let companyId: string | undefined;
  let companyName: string;
  let domain: string;
  let country = rng.weighted(COUNTRIES);
  if (ctx.companies.length > 0 && rng.chance(0.7)) {
    const c = rng.pick(ctx.companies);
    companyId = c.id;
    companyName = c.name;
    domain = c.domain;
    if (c.country) country = c.country;
  } else {
    const c = syntheticCompany(rng, n);
    companyName = c.name;
    domain = c.domain;
  }

  const v: Record<string, string> = {
    firstname: person.firstName,
    lastname: person.lastName,
    email: syntheticEmail(person, domain, n),
    company: companyName,
    jobtitle: person.jobTitle,
    hs_seniority: person.seniority,
    industry: rng.pick(INDUSTRIES),
    numemployees: rng.weighted(NUMEMPLOYEES_VALUES.map((x, i) => [x, [12, 18, 16, 14, 18, 10, 12][i] ?? 1] as const)),
    country,
    city: rng.pick(CITIES[country] ?? ['Springfield']),
    hs_analytics_source: rng.pick(ANALYTICS_SOURCE_VALUES),
  };
  if (rng.chance(0.6)) v.phone = syntheticPhone(rng);
  if (companyId) v.associatedcompanyid = companyId;

  // Web engagement.
  const viewCap = temperature === 'hot' ? 120 : temperature === 'warm' ? 40 : 8;
  const pageViews = rng.skewed(viewCap, temperature === 'hot' ? 1.5 : 2.5) + (temperature === 'cold' ? 0 : 1);
  const visits = pageViews === 0 ? 0 : Math.max(1, Math.round(pageViews / rng.int(1, 4)));
  v.hs_analytics_num_page_views = String(pageViews);
  v.hs_analytics_num_visits = String(visits);
  v.hs_analytics_num_event_completions = String(rng.skewed(temperature === 'hot' ? 10 : 3));
  if (visits > 0) {
    v.hs_analytics_first_visit_timestamp = iso(createdAt - rng.int(0, 30) * DAY);
    v.hs_analytics_last_visit_timestamp = iso(recentBetween(rng, createdAt, updatedAt, temperature));
  }

  // E-mail engagement.
  const delivered = rng.int(0, Math.max(1, Math.round((updatedAt - createdAt) / (7 * DAY))));
  const opened = Math.min(delivered, rng.skewed(temperature === 'hot' ? delivered : Math.ceil(delivered / 2), 1.5));
  const clicked = Math.min(opened, rng.skewed(temperature === 'cold' ? 1 : Math.ceil(opened / 2), 2));
  v.hs_email_delivered = String(delivered);
  v.hs_email_open = String(opened);
  v.hs_email_click = String(clicked);
  if (opened > 0) v.hs_email_last_open_date = iso(recentBetween(rng, createdAt, updatedAt, temperature));
  if (clicked > 0) v.hs_email_last_click_date = iso(recentBetween(rng, createdAt, updatedAt, temperature));
  v.hs_email_optout = rng.chance(0.03) ? 'true' : 'false';
  if (rng.chance(0.02)) {
    v.hs_email_bounce = '1';
    v.hs_email_hard_bounce_reason_enum = rng.pick(HARD_BOUNCE_VALUES);
  }

  // Form conversions.
  const conversions = temperature === 'cold' ? (rng.chance(0.3) ? 1 : 0) : rng.int(1, temperature === 'hot' ? 6 : 3);
  v.num_conversion_events = String(conversions);
  v.num_unique_conversion_events = String(Math.min(conversions, rng.int(1, 3)));
  if (conversions > 0) {
    const first = rng.weighted(CONVERSIONS);
    const recent = temperature === 'hot' && rng.chance(0.6) ? 'Demo request form' : rng.weighted(CONVERSIONS);
    const firstAt = createdAt + rng.int(0, 3600_000);
    v.first_conversion_event_name = first;
    v.first_conversion_date = iso(firstAt);
    v.recent_conversion_event_name = conversions === 1 ? first : recent;
    v.recent_conversion_date = iso(conversions === 1 ? firstAt : recentBetween(rng, firstAt, updatedAt, temperature));
  }

  // Lifecycle and sales activity.
  v.lifecyclestage =
    temperature === 'hot'
      ? rng.weighted([['marketingqualifiedlead', 5], ['salesqualifiedlead', 3], ['opportunity', 2]])
      : temperature === 'warm'
        ? rng.weighted([['lead', 6], ['marketingqualifiedlead', 3], ['subscriber', 1]])
        : rng.weighted([['subscriber', 5], ['lead', 4], ['other', 1]]);
  if (rng.chance(0.5)) v.hs_lead_status = rng.weighted([['NEW', 5], ['OPEN', 3], ['IN_PROGRESS', 2], ['ATTEMPTED_TO_CONTACT', 2], ['CONNECTED', 1], ['UNQUALIFIED', 1]]);
  if (ctx.ownerIds.length > 0 && rng.chance(ctx.ownerShare)) v.hubspot_owner_id = rng.pick(ctx.ownerIds);
  if (v.hubspot_owner_id && rng.chance(0.6)) {
    const contacted = recentBetween(rng, createdAt, updatedAt, temperature);
    v.notes_last_contacted = iso(contacted);
    v.hs_last_sales_activity_timestamp = iso(contacted);
    v.num_contacted_notes = String(rng.int(1, 5));
  }
  return { values: v, createdAt, updatedAt, companyId };
}

/** A time in [from, to], skewed towards `to` for hotter leads. */
function recentBetween(rng: Prng, from: number, to: number, temperature: Temperature): number {
  if (to <= from) return from;
  const power = temperature === 'hot' ? 0.3 : temperature === 'warm' ? 0.7 : 1.5;
  return Math.round(from + Math.pow(rng.next(), power) * (to - from));
}
