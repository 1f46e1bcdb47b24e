import { withDerivedAttributes, type Lead, type LeadEvent } from '../../src/lead/lead';
import { Prng, weighted } from './prng';

/**
 * Synthetic but realistic leads for the engine benchmark: deterministic (one seeded PRNG per lead,
 * so lead i is the same whatever the total), 20 to 200 events each (uniform), spread over the last
 * 180 days in sessions (web visits, email opens and clicks, forms, downloads, webinars, demo
 * requests, and rarely unsubscribes and bounces), plus the attributes a CRM mapping fills: title,
 * industry, companySize, country, email and emailDomain (company, free-mail, competitor and .edu
 * domains), and the CRM's own counters and dates (pageViews, emailOpens, formSubmissions,
 * lastVisitAt, ...). Event times are epoch ms at or before `now`; events come oldest first.
 */

export const DAY = 86_400_000;
const MINUTE = 60_000;
const SECOND = 1_000;

export interface GenerateOptions {
  leads: number;
  seed: number;
  /** The scoring instant; every event is at or before it. */
  now: number;
  minEvents?: number;
  maxEvents?: number;
  /** How far back events go. */
  days?: number;
}

export interface GeneratedData {
  leads: Lead[];
  events: number;
}

const SITE = 'https://www.northwind-analytics.com';
const UTM = ['', '', '', '?utm_source=google&utm_medium=cpc&utm_campaign=brand', '?utm_source=linkedin&utm_medium=paid&utm_campaign=q4-abm', '?utm_source=newsletter&utm_medium=email'];

const BLOG = [
  'what-is-lead-scoring', 'mql-vs-sql', 'b2b-intent-data-explained', 'email-deliverability-2026', 'how-to-build-an-icp',
  'lead-routing-best-practices', 'account-based-marketing-101', 'sales-and-marketing-alignment', 'gdpr-for-marketers',
  'predictive-scoring-myths', 'webinar-recap-scoring-101', 'hubspot-vs-salesforce-scoring', 'reduce-speed-to-lead',
  'pipeline-attribution-models', 'product-led-growth-signals', 'cold-email-benchmarks', 'demand-gen-playbook',
  'content-syndication-roi', 'marketing-ops-hiring-guide', 'customer-story-globex',
];
const DOCS = [
  '', '/getting-started', '/api/authentication', '/api/leads', '/api/scores', '/integrations/hubspot', '/integrations/salesforce',
  '/webhooks', '/scoring-rules', '/scoring-rules/decay', '/routing', '/sso', '/changelog',
];
const CAREERS = ['', '/senior-backend-engineer', '/account-executive-emea', '/sdr-berlin', '/product-designer', '/customer-success-manager'];
const PRODUCT = [
  '/product', '/product/lead-scoring', '/product/routing', '/product/analytics', '/integrations', '/integrations/salesforce',
  '/integrations/hubspot', '/customers', '/customers/globex', '/customers/initech', '/security', '/about', '/partners',
];
const PRICING = ['/pricing', '/pricing?plan=pro', '/pricing?plan=enterprise', '/pricing#faq', '/pricing/compare'];

/** Interned URLs (a site has a finite set of pages; the strings are shared, the event objects are not). */
function urlPool(paths: readonly string[]): string[] {
  return paths.flatMap((p) => UTM.map((u) => SITE + p + (p.includes('?') && u ? u.replace('?', '&') : u)));
}
const URLS = {
  home: urlPool(['/', '/']),
  pricing: urlPool(PRICING),
  blog: urlPool(BLOG.map((s) => `/blog/${s}`).concat(['/blog'])),
  docs: urlPool(DOCS.map((d) => `/docs${d}`)),
  careers: urlPool(CAREERS.map((c) => `/careers${c}`)),
  product: urlPool(PRODUCT),
  contact: urlPool(['/contact', '/demo', '/contact-sales']),
  resources: urlPool(['/resources', '/resources/roi-calculator', '/resources/case-studies', '/webinars/scoring-101']),
};
type Section = keyof typeof URLS;

const FORMS = {
  demo: 'Request a demo',
  contact: 'Contact us',
  contactSales: 'Contact sales',
  talkToSales: 'Talk to sales',
  newsletter: 'Newsletter',
  newsletterAlt: 'Newsletter signup (footer)',
  trial: 'Free trial signup',
  webinar: 'Webinar registration',
  roi: 'Download: ROI calculator',
  gated: 'Gated content',
};

const ASSETS = {
  caseStudy: ['Case study: Globex cuts speed-to-lead by 60%', 'Case Study - Initech doubles SQLs', 'Customer case study: Umbrella Health'],
  roi: ['ROI calculator', 'ROI Calculator (Excel)', 'Pricing guide 2026'],
  whitepaper: ['Whitepaper: The state of B2B lead scoring 2026', 'Whitepaper: Intent data explained', 'Whitepaper - Data privacy for RevOps'],
  ebook: ['Ebook: 50 email subject lines that convert', "Buyer's guide to marketing automation", 'Checklist: GDPR for marketers'],
  datasheet: ['Datasheet: Northwind Scoring', 'Security overview (PDF)'],
};

const CAMPAIGNS = [
  '2026-10 Product newsletter', '2026-09 Product newsletter', 'Webinar invite: Scoring 101', 'Nurture #1 - Welcome',
  'Nurture #2 - Use cases', 'Nurture #3 - ROI', 'Event follow-up: SaaStr Europa', 'Q4 ABM - Enterprise', 'Pricing update',
  'Customer story: Globex', 'Re-engagement: We miss you',
];
const WEBINARS = ['Webinar: Scoring 101', 'Webinar: From MQL to revenue', 'Live demo: routing in 15 minutes', 'RevOps roundtable Q4'];
const WEBINAR_STATUS = weighted<string>([[55, 'attended'], [30, 'registered'], [15, 'no-show']]);
const CAMPAIGN_STATUS = weighted<string>([[50, 'Responded'], [30, 'Registered'], [20, 'Attended']]);

const TITLES = weighted<readonly string[]>([
  [6, ['CEO', 'Chief Executive Officer', 'CTO', 'CFO', 'Chief Marketing Officer', 'Chief Revenue Officer', 'COO', 'CMO']],
  [4, ['Founder', 'Co-Founder & CEO', 'Owner', 'President', 'Managing Director']],
  [8, ['VP of Marketing', 'Vice President, Sales', 'VP Engineering', 'SVP Revenue Operations', 'VP Demand Generation', 'vp marketing']],
  [5, ['Head of Growth', 'Head of Demand Generation', 'Head of Sales Operations', 'Head of Marketing', 'Head of RevOps']],
  [12, ['Director of Marketing', 'Sales Director', 'Director, IT', 'Senior Director of Product Marketing', 'Marketing Director', 'DIRECTOR OF SALES']],
  [20, ['Marketing Manager', 'Demand Generation Manager', 'Sales Operations Manager', 'Product Manager', 'Marketing Operations Manager', 'IT Manager', 'Account Manager', 'Team Lead, SDR', 'Growth Lead']],
  [25, ['Marketing Specialist', 'Sales Development Representative', 'Business Development Representative', 'Software Engineer', 'Data Analyst', 'Marketing Coordinator', 'Account Executive', 'Consultant', 'Content Writer', 'Designer', 'Analyst']],
  [7, ['Student', 'MBA Student', 'Marketing Intern', 'Summer Intern', 'Graduate Student', 'Intern', 'PhD candidate', 'Working student']],
  [3, ['Teacher', 'Retired', 'Freelancer', 'Self-employed', 'n/a', '-']],
  [10, ['']],
]);
/** Industry as the CRMs store it: HubSpot's enumeration (or free text from forms), Salesforce's picklist. */
const INDUSTRIES_HUBSPOT = weighted<string | null>([
  [14, 'COMPUTER_SOFTWARE'], [8, 'INFORMATION_TECHNOLOGY_AND_SERVICES'], [4, 'INTERNET'], [7, 'FINANCIAL_SERVICES'],
  [6, 'HOSPITAL_HEALTH_CARE'], [6, 'MECHANICAL_OR_INDUSTRIAL_ENGINEERING'], [5, 'RETAIL'], [6, 'MARKETING_AND_ADVERTISING'],
  [4, 'EDUCATION_MANAGEMENT'], [2, 'GOVERNMENT_ADMINISTRATION'], [2, 'NON_PROFIT_ORGANIZATION_MANAGEMENT'], [5, 'MANAGEMENT_CONSULTING'],
  [2, 'TELECOMMUNICATIONS'], [2, 'MEDIA_PRODUCTION'], [2, 'REAL_ESTATE'], [2, 'LOGISTICS_AND_SUPPLY_CHAIN'], [2, 'INSURANCE'],
  [5, 'Software'], [2, 'SaaS'], [2, 'Fintech'], [1, 'software development'], [10, null],
]);
const INDUSTRIES_SALESFORCE = weighted<string | null>([
  [20, 'Technology'], [8, 'Finance'], [3, 'Banking'], [7, 'Healthcare'], [8, 'Manufacturing'], [6, 'Retail'], [5, 'Education'],
  [3, 'Government'], [3, 'Not For Profit'], [6, 'Consulting'], [3, 'Telecommunications'], [3, 'Media'], [3, 'Insurance'],
  [3, 'Transportation'], [2, 'Energy'], [4, 'Other'], [9, null],
]);
const COUNTRIES = weighted<string | null>([
  [20, 'United States'], [8, 'US'], [4, 'USA'], [5, 'Canada'], [5, 'United Kingdom'], [3, 'UK'], [7, 'Germany'], [5, 'France'],
  [3, 'Netherlands'], [4, 'Australia'], [9, 'India'], [4, 'Brazil'], [3, 'Spain'], [2, 'Japan'], [2, 'Singapore'], [1, 'Nigeria'],
  [2, 'Mexico'], [2, 'Sweden'], [2, 'Poland'], [1, 'South Africa'], [8, null],
]);
const SIZE_BUCKETS = weighted<readonly [number, number] | null>([
  [20, [1, 10]], [22, [11, 50]], [20, [51, 200]], [17, [201, 1000]], [9, [1001, 5000]], [5, [5001, 50000]], [7, null],
]);
const SOURCES = ['Organic Search', 'Paid Search', 'Webinar', 'Referral', 'Trade Show', 'Content Download', 'Direct Traffic', 'Social Media', 'Partner', 'List Import'];
const STAGES = weighted<string>([[30, 'subscriber'], [40, 'lead'], [15, 'marketingqualifiedlead'], [7, 'salesqualifiedlead'], [5, 'opportunity'], [3, 'customer']]);

const FIRST = ['james', 'mary', 'wei', 'fatima', 'lukas', 'sofia', 'arjun', 'emma', 'noah', 'olga', 'kenji', 'amara', 'lucas', 'chloe', 'mateo', 'priya', 'jonas', 'ines', 'omar', 'hannah'];
const LAST = ['smith', 'garcia', 'mueller', 'nguyen', 'patel', 'kowalski', 'rossi', 'tanaka', 'okafor', 'johansson', 'dubois', 'silva', 'kim', 'schmidt', 'brown', 'martin', 'haddad', 'novak'];
const SYLLABLES = ['acme', 'globex', 'initech', 'umbr', 'vand', 'hooli', 'sterl', 'wayne', 'stark', 'tyrell', 'cyber', 'soy', 'nova', 'blue', 'quant', 'data', 'cloud', 'pixel', 'forge', 'logi'];
const SUFFIXES = ['', 'ly', 'io', 'soft', 'labs', 'works', 'corp', 'systems', 'tech', 'group'];
const TLDS = weighted<string>([[60, '.com'], [12, '.io'], [6, '.co'], [8, '.de'], [4, '.co.uk'], [4, '.fr'], [3, '.com.br'], [3, '.in']]);
const FREE_MAIL = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'aol.com', 'icloud.com', 'gmx.de', 'web.de', 'yahoo.co.uk', 'protonmail.com', 'mail.ru', 'googlemail.com', 'live.com'];
// The shipped model's placeholders and a few the list does not have (a competitor list is never complete).
const COMPETITOR_DOMAINS = ['competitor-example.com', 'competitor-example.com', 'rival-example.io', 'marketo.com', 'madkudu.com'];
const EDU_DOMAINS = ['stanford.edu', 'mit.edu', 'student.tu-berlin.de', 'ox.ac.uk', 'uni-muenchen.de', 'berkeley.edu'];
const EMAIL_KIND = weighted<'company' | 'free' | 'competitor' | 'edu' | 'none'>([[70, 'company'], [24, 'free'], [2, 'competitor'], [2, 'edu'], [2, 'none']]);
const PATTERN = weighted<'recent' | 'steady' | 'cold'>([[30, 'recent'], [40, 'steady'], [30, 'cold']]);

/** Generates `opts.leads` leads. Not timed by the benchmark. */
export function generateLeads(opts: GenerateOptions): GeneratedData {
  const leads: Lead[] = new Array(opts.leads);
  let events = 0;
  for (let i = 0; i < opts.leads; i++) {
    const lead = generateLead(i, opts);
    events += lead.events.length;
    leads[i] = lead;
  }
  return { leads, events };
}

/** One lead, from its own PRNG stream (seed and index). */
export function generateLead(index: number, opts: GenerateOptions): Lead {
  const rng = new Prng((opts.seed * 0x9e3779b1 + index * 0x85ebca6b) >>> 0);
  const { now } = opts;
  const minEvents = opts.minEvents ?? 20;
  const maxEvents = opts.maxEvents ?? 200;
  const days = opts.days ?? 180;
  const target = rng.int(minEvents, maxEvents);

  // Who it is.
  const titleGroup = rng.weighted(TITLES);
  const title = rng.pick(titleGroup);
  const titleLower = title.toLowerCase();
  const isStudent = /student|intern|phd|working student/.test(titleLower);
  const isDeveloper = /engineer|cto|it manager|director, it/.test(titleLower);
  const jobSeeker = isStudent ? rng.chance(0.5) : rng.chance(0.03);
  // Buying intent: most leads browse, few are in market.
  const intent = isStudent ? rng.next() * 0.1 : Math.pow(rng.next(), 2.2);
  const pattern = rng.weighted(PATTERN);
  const coldFrom = rng.int(30, 150);

  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const companyName = rng.pick(SYLLABLES) + rng.pick(SUFFIXES);
  const emailKind = isStudent && rng.chance(0.4) ? 'edu' : rng.weighted(EMAIL_KIND);
  const local = rng.chance(0.6) ? `${first}.${last}` : rng.chance(0.5) ? `${first[0]}${last}` : `${first}${rng.int(1, 99)}`;
  const domain =
    emailKind === 'company' ? companyName + rng.weighted(TLDS)
    : emailKind === 'free' ? rng.pick(FREE_MAIL)
    : emailKind === 'competitor' ? rng.pick(COMPETITOR_DOMAINS)
    : emailKind === 'edu' ? rng.pick(EDU_DOMAINS)
    : undefined;
  const email = domain === undefined ? undefined : `${local}@${rng.chance(0.05) ? domain.toUpperCase() : domain}`;

  // When things happen: an age in days, by activity pattern.
  const ageDays = (): number => {
    switch (pattern) {
      case 'recent':
        return Math.min(days, rng.exp(15));
      case 'steady':
        return rng.next() * days;
      case 'cold':
        return coldFrom + rng.next() * (days - coldFrom);
    }
  };
  const sessionStart = (): number => now - Math.floor(ageDays() * DAY) - rng.int(0, 3 * 3600) * SECOND;

  const events: LeadEvent[] = [];
  const push = (type: string, at: number, properties?: LeadEvent['properties']) => {
    const t = Math.min(at, now);
    events.push(properties ? { type, at: t, properties } : { type, at: t });
  };

  // Rare signals first, so they are never cut when the event count is reached.
  if (rng.chance(0.02)) push('unsubscribe', sessionStart(), { campaign: rng.pick(CAMPAIGNS) });
  if (rng.chance(0.01)) {
    const hard = rng.chance(0.6);
    push('email_bounce', sessionStart(), { type: hard ? 'hard' : 'soft', reason: hard ? 'mailbox does not exist' : 'mailbox full' });
  }

  let webSessions = 0;
  const sectionWeights = weighted<Section>([
    [2, 'home'],
    [0.05 + 0.6 * intent, 'pricing'],
    [isStudent ? 0.6 : 0.3, 'blog'],
    [isDeveloper ? 0.6 : 0.1, 'docs'],
    [jobSeeker ? 0.8 : 0.02, 'careers'],
    [0.35, 'product'],
    [0.02 + 0.15 * intent, 'contact'],
    [0.08 + 0.1 * intent, 'resources'],
  ]);
  const webSession = (start: number, landing?: string) => {
    webSessions++;
    let t = start;
    let url = landing ?? rng.pick(URLS[rng.weighted(sectionWeights)]);
    const pages = 1 + Math.min(11, Math.floor(rng.exp(2.2)));
    let sawPricing = false;
    for (let p = 0; p < pages; p++) {
      if (p > 0) {
        t += rng.int(10, 240) * SECOND;
        const section = rng.weighted(sectionWeights);
        url = rng.pick(URLS[section]);
      }
      if (url.includes('/pricing')) sawPricing = true;
      push('page_view', t, rng.chance(0.3) ? { url, referrer: 'https://www.google.com/' } : { url });
    }
    if (rng.chance(0.08 + 0.1 * intent)) {
      t += rng.int(20, 300) * SECOND;
      const kind = rng.weighted(weighted<keyof typeof ASSETS>([[3, 'caseStudy'], [1 + 3 * intent, 'roi'], [3, 'whitepaper'], [3, 'ebook'], [1, 'datasheet']]));
      const asset = rng.pick(ASSETS[kind]);
      push('download', t, { asset, url: rng.pick(URLS.resources) });
      if (rng.chance(0.5)) push('form_submission', t - 2 * SECOND, { form: kind === 'roi' ? FORMS.roi : FORMS.gated, url: rng.pick(URLS.resources) });
    }
    if (rng.chance(0.03 + 0.2 * intent)) {
      t += rng.int(30, 600) * SECOND;
      const demoWeight = (sawPricing ? 0.25 : 0.05) + 0.6 * intent;
      const form = rng.weighted(
        weighted<string>([
          [demoWeight, FORMS.demo], [0.3, FORMS.contact], [0.1 + 0.3 * intent, FORMS.contactSales], [0.05 + 0.1 * intent, FORMS.talkToSales], [0.5, FORMS.newsletter],
          [0.15, FORMS.newsletterAlt], [0.2, FORMS.trial], [0.25, FORMS.webinar],
        ]),
      );
      push('form_submission', t, { form, url });
      if ((form === FORMS.demo || form === FORMS.talkToSales) && rng.chance(0.6)) {
        push('demo_request', t + SECOND, { source: sawPricing ? 'pricing page' : 'website', form });
        if (rng.chance(0.6)) push('sales_activity', t + rng.int(1, 48) * 3600 * SECOND, { kind: rng.chance(0.6) ? 'call' : 'email' });
        if (rng.chance(0.3)) push('meeting', t + rng.int(1, 10) * DAY, { title: 'Discovery call' });
      }
    }
  };

  while (events.length < target) {
    const kind = rng.weighted(
      weighted<'web' | 'email' | 'webinar' | 'campaign' | 'demo'>([
        [6, 'web'], [3.5, 'email'], [0.25, 'webinar'], [0.15, 'campaign'], [0.005 + 0.05 * intent, 'demo'],
      ]),
    );
    const start = sessionStart();
    if (kind === 'web') {
      webSession(start);
    } else if (kind === 'email') {
      const campaign = rng.pick(CAMPAIGNS);
      push('email_open', start, { campaign });
      if (rng.chance(0.25)) push('email_open', start + rng.int(1, 48 * 60) * MINUTE, { campaign });
      if (rng.chance(0.12 + 0.3 * intent)) {
        const clickAt = start + rng.int(20, 1800) * SECOND;
        const section = rng.chance(0.3 + intent) ? 'pricing' : rng.chance(0.5) ? 'blog' : 'product';
        const url = rng.pick(URLS[section]);
        push('email_click', clickAt, { campaign, url });
        if (rng.chance(0.6)) webSession(clickAt + 2 * SECOND, url);
      }
    } else if (kind === 'webinar') {
      push('webinar', start, { campaign: rng.pick(WEBINARS), status: rng.weighted(WEBINAR_STATUS) });
    } else if (kind === 'campaign') {
      push('campaign_response', start, { campaign: rng.pick(CAMPAIGNS), status: rng.weighted(CAMPAIGN_STATUS) });
    } else {
      // A hand-raiser: pricing, the demo request, and often sales following up (calls, a meeting).
      push('page_view', start, { url: rng.pick(URLS.pricing) });
      const demoAt = start + rng.int(30, 900) * SECOND;
      push('demo_request', demoAt, { source: rng.chance(0.7) ? 'contact sales' : 'chat', form: FORMS.demo });
      if (rng.chance(0.7)) push('sales_activity', demoAt + rng.int(1, 48) * 3600 * SECOND, { kind: rng.chance(0.6) ? 'call' : 'email' });
      if (rng.chance(0.35)) push('meeting', demoAt + rng.int(1, 10) * DAY, { title: 'Discovery call' });
    }
  }
  events.length = target;
  events.sort((a, b) => a.at - b.at);

  // What the CRM keeps on the record (after the mapping: numbers, booleans, epoch-ms dates),
  // consistent with the events, plus history from before the 180-day window.
  let pageViews = 0;
  let emailOpens = 0;
  let emailClicks = 0;
  let formSubmissions = 0;
  let firstVisitAt: number | undefined;
  let lastVisitAt: number | undefined;
  let lastEmailOpenAt: number | undefined;
  let lastEmailClickAt: number | undefined;
  let lastFormAt: number | undefined;
  let lastFormName: string | undefined;
  let demoAt: number | undefined;
  let lastSalesAt: number | undefined;
  let unsubscribed = false;
  let hardBounce = false;
  for (const e of events) {
    switch (e.type) {
      case 'page_view':
        pageViews++;
        firstVisitAt ??= e.at;
        lastVisitAt = e.at;
        break;
      case 'email_open':
        emailOpens++;
        lastEmailOpenAt = e.at;
        break;
      case 'email_click':
        emailClicks++;
        lastEmailClickAt = e.at;
        break;
      case 'form_submission':
        formSubmissions++;
        lastFormAt = e.at;
        lastFormName = String(e.properties?.form ?? '');
        break;
      case 'demo_request':
        demoAt = e.at;
        break;
      case 'sales_activity':
      case 'meeting':
        lastSalesAt = e.at;
        break;
      case 'unsubscribe':
        unsubscribed = true;
        break;
      case 'email_bounce':
        if (e.properties?.type === 'hard') hardBounce = true;
        break;
    }
  }
  const firstAt = events[0]?.at ?? now;
  const createdAt = firstAt - rng.int(0, 400) * DAY - rng.int(0, DAY - 1);
  const history = now - createdAt > days * DAY ? 1 + rng.next() * 0.5 : 1;

  const salesforce = index % 3 === 2;
  const bucket = rng.weighted(SIZE_BUCKETS);
  const size = bucket === null ? undefined : Math.round(Math.exp(Math.log(bucket[0]) + rng.next() * (Math.log(bucket[1]) - Math.log(bucket[0]))));
  const attributes: Lead['attributes'] = {
    firstName: first[0]!.toUpperCase() + first.slice(1),
    lastName: last[0]!.toUpperCase() + last.slice(1),
    industry: rng.weighted(salesforce ? INDUSTRIES_SALESFORCE : INDUSTRIES_HUBSPOT),
    country: rng.weighted(COUNTRIES),
    leadSource: rng.pick(SOURCES),
    lifecycleStage: rng.weighted(STAGES),
    leadStatus: rng.pick(LEAD_STATUS),
    ownerId: rng.chance(0.6) ? String(rng.int(10_000_000, 10_000_040)) : null,
    createdAt,
    lastModifiedAt: Math.max(events[events.length - 1]?.at ?? createdAt, createdAt) + rng.int(0, 3600) * SECOND,
    pageViews: Math.round(pageViews * history),
    visits: Math.round(webSessions * history),
    emailOpens: Math.round(emailOpens * history),
    emailClicks: Math.round(emailClicks * history),
    emailDelivered: Math.round((emailOpens * (1.5 + rng.next() * 3) + rng.int(0, 10)) * history),
    formSubmissions: Math.round(formSubmissions * history),
    emailOptOut: unsubscribed,
    emailBounced: hardBounce,
  };
  if (title !== '' || rng.chance(0.5)) attributes.title = title === '' ? null : title;
  // Enrichment (HubSpot's hs_seniority) on some records only.
  const seniority = seniorityOf(titleLower);
  if (seniority !== undefined && rng.chance(0.4)) attributes.seniority = seniority;
  if (emailKind !== 'free' || rng.chance(0.3)) attributes.company = companyName[0]!.toUpperCase() + companyName.slice(1);
  if (size !== undefined) attributes.companySize = size;
  if (size !== undefined && rng.chance(0.6)) attributes.annualRevenue = Math.round(size * (80_000 + rng.next() * 250_000));
  if (rng.chance(0.55)) attributes.phone = `+1 555 ${rng.int(100, 999)} ${rng.int(1000, 9999)}`;
  if (rng.chance(0.5)) attributes.city = rng.pick(CITIES);
  if (salesforce) attributes.rating = rng.pick(['Hot', 'Warm', 'Cold', null]);
  if (firstVisitAt !== undefined) attributes.firstVisitAt = firstVisitAt;
  if (lastVisitAt !== undefined) attributes.lastVisitAt = lastVisitAt;
  if (lastEmailOpenAt !== undefined) attributes.lastEmailOpenAt = lastEmailOpenAt;
  if (lastEmailClickAt !== undefined) attributes.lastEmailClickAt = lastEmailClickAt;
  if (lastFormAt !== undefined) {
    attributes.lastFormAt = lastFormAt;
    attributes.lastFormName = lastFormName;
  }
  if (demoAt !== undefined) attributes.demoRequestedAt = demoAt;
  if (lastSalesAt !== undefined) attributes.lastSalesActivityAt = lastSalesAt;
  if (lastSalesAt !== undefined && rng.chance(0.8)) attributes.lastContactedAt = lastSalesAt;

  return withDerivedAttributes({
    tenant: salesforce ? 'salesforce:00D5g000004ABCDEAZ' : 'hubspot:24681357',
    objectType: salesforce ? 'Lead' : 'contact',
    id: salesforce ? `00Q5g${String(index).padStart(13, '0')}` : String(1_000_000 + index),
    ...(email !== undefined ? { email } : {}),
    attributes,
    events,
  });
}

const LEAD_STATUS = ['NEW', 'OPEN', 'IN_PROGRESS', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'UNQUALIFIED', null];
const CITIES = ['New York', 'San Francisco', 'Austin', 'Toronto', 'London', 'Berlin', 'Munich', 'Paris', 'Amsterdam', 'Bangalore', 'Sydney', 'São Paulo'];

/** hs_seniority-style enrichment from the title. */
function seniorityOf(title: string): string | undefined {
  if (title === '' || title === '-' || title === 'n/a') return undefined;
  if (/\b(ceo|cto|cfo|coo|cmo|chief|president)\b/.test(title)) return 'executive';
  if (/\b(founder|owner)\b/.test(title)) return 'owner';
  if (/\b(vp|svp|vice president)\b/.test(title)) return 'vp';
  if (/\b(director|head of)\b/.test(title)) return 'director';
  if (/\b(manager|lead)\b/.test(title)) return 'manager';
  if (/\b(student|intern|phd)\b/.test(title)) return 'entry';
  return 'employee';
}
