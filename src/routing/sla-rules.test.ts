import type { CrmRecord } from '../../connectors/types';
import { routingConfig } from '../config/routing-schema';
import type { LeadRouting } from './assignment-store';
import { routingAction } from './route-scored';
import { isEligible, slaRuleFor } from './sla-rules';
import { formatDuration, slaTaskText } from './task-text';

const cfg = routingConfig.parse({
  enabled: true,
  eligible: { tier: 'warm' },
  sla: [{ minScore: 90, due: '15m' }, { tier: 'hot', due: '1h' }, { tier: 'warm', due: '1d' }],
  recycle: { after: '2d', maxTimes: 1 },
  capacity: { maxActiveLeadsPerOwner: 5 },
  fallback: { owner: '9' },
});

describe('eligibility and SLA rules', () => {
  it('{tier: warm} takes warm and hot leads; {minScore} takes scores from it up', () => {
    expect(isEligible({ tier: 'warm' }, { score: 50, tier: 'warm' })).toBe(true);
    expect(isEligible({ tier: 'warm' }, { score: 80, tier: 'hot' })).toBe(true);
    expect(isEligible({ tier: 'warm' }, { score: 10, tier: 'cold' })).toBe(false);
    expect(isEligible({ tier: 'hot' }, { score: 69, tier: 'warm' })).toBe(false);
    expect(isEligible({ minScore: 70 }, { score: 70, tier: 'warm' })).toBe(true);
    expect(isEligible({ minScore: 70 }, { score: 69, tier: 'hot' })).toBe(false);
  });

  it('the first SLA rule that matches wins: a tier is that tier, minScore is a floor', () => {
    expect(slaRuleFor(cfg, { score: 95, tier: 'hot' })).toEqual({ index: 0, dueMs: 15 * 60_000 });
    expect(slaRuleFor(cfg, { score: 80, tier: 'hot' })).toEqual({ index: 1, dueMs: 3_600_000 });
    expect(slaRuleFor(cfg, { score: 50, tier: 'warm' })).toEqual({ index: 2, dueMs: 86_400_000 });
    expect(slaRuleFor(cfg, { score: 5, tier: 'cold' })).toBeNull();
  });
});

describe('the SLA task text', () => {
  it('names tier, score and SLA in the subject, lists the reasons in the notes, HIGH only for hot', () => {
    const dueAt = Date.parse('2026-11-20T12:00:00Z');
    const hot = slaTaskText({ tier: 'hot', score: 82, reasons: '+30 Requested a demo\n+25 VP title', slaMs: 2 * 3_600_000, dueAt, assignedBecause: 'rule na → pool na' });
    expect(hot.subject).toBe('Hot lead (score 82): call within 2h');
    expect(hot.body).toBe('Lead score 82 (hot). Why:\n+30 Requested a demo\n+25 VP title\n\nDue 2026-11-20T12:00:00.000Z (SLA 2h). Assigned by lead routing: rule na → pool na.');
    expect(hot.priority).toBe('high');
    expect(slaTaskText({ tier: 'warm', score: 55, reasons: '', slaMs: 86_400_000, dueAt, assignedBecause: 'x' })).toMatchObject({ subject: 'Warm lead (score 55): call within 1d', priority: 'normal' });
  });

  it('writes durations the way routing.yaml does', () => {
    expect(formatDuration(90_000)).toBe('1m 30s');
    expect(formatDuration(5_400_000)).toBe('1h 30m');
    expect(formatDuration(15 * 60_000)).toBe('15m');
    expect(formatDuration(7 * 86_400_000)).toBe('1w');
  });
});

describe('routingAction: what a new score asks of routing', () => {
  const record = (attrs: CrmRecord['lead']['attributes'] = {}): CrmRecord => ({ objectType: 'lead', id: '1', lead: { tenant: 't', objectType: 'lead', id: '1', attributes: attrs, events: [] }, current: {}, modifiedAt: 0 });
  const open = (over: Partial<LeadRouting> = {}) => ({ gen: 1, status: 'open', assignedAt: 1_000, taskId: 't1', slaIndex: 2, slaMs: 86_400_000, ...over }) as LeadRouting;

  it('assigns an eligible lead that was never routed, and nothing else', () => {
    expect(routingAction(cfg, { score: 50, tier: 'warm' }, undefined, record())).toBe('assign');
    expect(routingAction(cfg, { score: 20, tier: 'cold' }, undefined, record())).toBeNull();
  });

  it('rescoring a routed lead asks nothing, unless a tighter SLA applies (warm → hot)', () => {
    expect(routingAction(cfg, { score: 55, tier: 'warm' }, open(), record())).toBeNull();
    expect(routingAction(cfg, { score: 75, tier: 'hot' }, open(), record())).toBe('assign');
    expect(routingAction(cfg, { score: 75, tier: 'hot' }, open({ slaIndex: 1, slaMs: 3_600_000 }), record())).toBeNull();
    expect(routingAction(cfg, { score: 20, tier: 'cold' }, open({ slaIndex: 1, slaMs: 3_600_000 }), record())).toBeNull();
    expect(routingAction(cfg, { score: 99, tier: 'hot' }, { ...open(), status: 'done' }, record())).toBeNull();
  });

  it('resumes an unfinished claim, and checks the SLA at once when the record shows a sales activity since the assignment', () => {
    expect(routingAction(cfg, { score: 50, tier: 'warm' }, { ...open(), status: 'claimed' }, record())).toBe('assign');
    expect(routingAction(cfg, { score: 50, tier: 'warm' }, open(), record({ lastSalesActivityAt: 2_000 }))).toBe('check');
    expect(routingAction(cfg, { score: 50, tier: 'warm' }, open(), record({ lastContactedAt: 500 }))).toBeNull();
  });
});
