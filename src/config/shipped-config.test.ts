import { existsSync } from 'node:fs';
import path from 'node:path';
import { ALL_CONFIG_FILES, loadConfig } from './load-config';
import { shippedTexts, SHIPPED_CONFIG_DIR } from './testing-fixtures';

const texts = shippedTexts();

describe('the shipped config files, as an admin opens them', () => {
  it.each(ALL_CONFIG_FILES.map((f) => [f]))('%s names its JSON Schema on the first line, with a path that exists', (file) => {
    const first = texts[file]?.split('\n')[0] ?? '';
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(match).not.toBeNull();
    const schemaPath = path.resolve(path.dirname(path.join(SHIPPED_CONFIG_DIR, file)), match?.[1] ?? '');
    const expected = file.startsWith('mappings/') ? 'mapping.schema.json' : file.replace('.yaml', '.schema.json');
    expect(path.basename(schemaPath)).toBe(expected);
    expect(existsSync(schemaPath)).toBe(true);
  });

  it.each(['mappings/hubspot.yaml', 'mappings/salesforce.yaml'].map((f) => [f]))('%s documents every canonical attribute name in its header', (file) => {
    const header = (texts[file] ?? '').split('\n').filter((l) => l.startsWith('#')).join('\n');
    const canonical = 'email emailDomain firstName lastName title seniority company industry companySize annualRevenue country state city lifecycleStage leadStatus leadSource rating pageViews visits lastVisitAt firstVisitAt emailOpens emailClicks emailDelivered lastEmailOpenAt lastEmailClickAt emailOptOut emailBounced formSubmissions lastFormName lastFormAt lastSalesActivityAt lastContactedAt createdAt lastModifiedAt ownerId isConverted demoRequestedAt'.split(' ');
    for (const name of canonical) expect(header).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('scoring.yaml explains every rule form and the score formula in its comments', () => {
    const comments = (texts['scoring.yaml'] ?? '').split('\n').filter((l) => l.trim().startsWith('#')).join('\n');
    for (const term of ['EVENT RULES', 'atLeast', 'SEQUENCE RULES', 'SILENCE RULES', 'ATTRIBUTE RULES', 'pick: best', 'halfLife', 'step', 'clamped to 0..100', 'weights.fit', 'inList', 'between', 'olderThan', 'IGNORING CASE'])
      expect(comments).toContain(term);
  });
});

describe('the default scoring model', () => {
  it('follows common practice: thresholds, weights, the demo request and its silence', async () => {
    const { scoring } = await loadConfig(SHIPPED_CONFIG_DIR);
    const rule = (id: string) => [...scoring.fit.rules, ...scoring.engagement.rules].find((r) => r.id === id);

    expect(scoring.thresholds).toEqual({ hot: 60, warm: 40 });
    expect(rule('demo-request')).toMatchObject({ label: 'Requested a demo', points: 30, event: 'demo_request' });
    expect(rule('pricing-then-form')).toMatchObject({ points: 25, within: 24 * 3_600_000 });
    expect(rule('pricing-page-repeat')).toMatchObject({ atLeast: 2, within: 7 * 86_400_000 });
    expect(rule('recent-visit')).toMatchObject({ atLeast: 1, within: 7 * 86_400_000 });
    expect(rule('hard-bounce')).toMatchObject({ points: -20 });
    expect(rule('silent-after-demo-request')).toMatchObject({ points: -15, silence: { for: 14 * 86_400_000 } });
    expect(rule('forms-counted')).toMatchObject({ attribute: 'formSubmissions', at: 'lastFormAt' });
    expect(rule('page-views-counted')).toMatchObject({ attribute: 'pageViews', per: 5 });
    expect(scoring.fit.groups.find((g) => g.id === 'seniority')?.pick).toBe('best');
    expect(scoring.lists.freeMail).toEqual(expect.arrayContaining(['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'aol.com', 'icloud.com', 'gmx.de', 'proton.me']));
    expect(scoring.lists.competitors).toContain('competitor-example.com');
  });
});
