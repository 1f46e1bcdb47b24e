import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { scoringConfig } from '../config/scoring-schema';
import type { Lead, LeadEvent } from '../lead/lead';
import { compileModel } from './compile-model';
import { scoreLead } from './score-lead';
import { DAY, HOUR, NOW } from './test-helpers';

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const model = compileModel(scoringConfig.parse(YAML.parse(readFileSync(path.resolve(__dirname, '../../config/scoring.yaml'), 'utf8'))));

function randomLead(rand: () => number, i: number): Lead {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const events: LeadEvent[] = [];
  const n = Math.floor(rand() * 40);
  for (let k = 0; k < n; k++) {
    const at = NOW - Math.floor(rand() * 60 * DAY);
    const type = pick(['page_view', 'page_view', 'page_view', 'form_submission', 'email_click', 'download', 'demo_request', 'webinar', 'unsubscribe']);
    const properties: Record<string, string> =
      type === 'page_view'
        ? { url: pick(['https://x.example/pricing', 'https://x.example/blog/a', 'https://x.example/careers', 'https://x.example/docs']) }
        : type === 'form_submission'
          ? { form: pick(['Request a demo', 'Newsletter', 'Contact us']) }
          : type === 'download'
            ? { asset: pick(['ROI calculator', 'Whitepaper']) }
            : type === 'webinar'
              ? { status: pick(['attended', 'registered']) }
              : {};
    events.push({ type, at, properties });
  }
  return {
    tenant: 't',
    objectType: 'lead',
    id: String(i),
    attributes: {
      title: pick(['VP Marketing', 'Student', 'Director of IT', 'Engineer', undefined]),
      industry: pick(['Software', 'Retail', undefined]),
      companySize: pick([10, 150, 2000, undefined]),
      emailDomain: pick(['acme.example', 'gmail.com']),
      pageViews: Math.floor(rand() * 40),
      lastVisitAt: rand() < 0.5 ? NOW - Math.floor(rand() * 20 * DAY) : undefined,
      formSubmissions: Math.floor(rand() * 3),
      lastFormAt: NOW - Math.floor(rand() * 30 * DAY),
    },
    events,
  };
}

describe('nextChangeAt on the default model (brute force check)', () => {
  it('is never late: the score holds until nextChangeAt, checked every 6 hours, and changes there', () => {
    const rand = prng(7);
    let exact = 0;
    for (let i = 0; i < 150; i++) {
      const lead = randomLead(rand, i);
      const r = scoreLead(model, lead, NOW);
      const horizon = r.nextChangeAt ?? NOW + 90 * DAY;
      for (let t = NOW + 6 * HOUR; t < Math.min(horizon, NOW + 90 * DAY); t += 6 * HOUR) {
        const later = scoreLead(model, lead, t);
        expect([lead.id, t, later.score, later.fit, later.engagement]).toEqual([lead.id, t, r.score, r.fit, r.engagement]);
      }
      if (r.nextChangeAt !== null) {
        expect(scoreLead(model, lead, r.nextChangeAt - 1).score).toBe(r.score);
        const at = scoreLead(model, lead, r.nextChangeAt);
        if (at.score !== r.score || at.fit !== r.fit || at.engagement !== r.engagement) exact++;
      }
    }
    // the search may stop early on a budget (an early rescoring is harmless), but it is exact in general
    expect(exact).toBeGreaterThan(120);
  });
});
