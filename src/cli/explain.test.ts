import path from 'node:path';
import { editedTexts, SHIPPED_CONFIG_DIR, tempDir, writeConfigDir } from '../config/testing-fixtures';
import { captureIo } from './cli-test-io';
import { humanDuration, parseTime } from './explain';
import { main } from './main';

const FIXTURES = path.resolve(__dirname, '../../test/fixtures/explain');
const LEAD = path.join(FIXTURES, 'lead.json');
const HUBSPOT = path.join(FIXTURES, 'hubspot-contact.json');
const SALESFORCE = path.join(FIXTURES, 'salesforce-lead.json');
const AT = '2026-11-20T12:00:00Z';

async function explain(...args: string[]) {
  const io = captureIo({ CONFIG_DIR: SHIPPED_CONFIG_DIR });
  const code = await main(['explain', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('lead-scorer explain', () => {
  it('scores a lead in our JSON form and prints the numbers and every rule that fired, biggest first', async () => {
    const { code, out, err } = await explain('--lead', LEAD, '--at', AT);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'Lead lead-1001 <Dana.Whitfield@Northwind.example>: a lead in the connector’s JSON form',
        'scored at 2026-11-20T12:00:00.000Z',
        '',
        '  score        75  (fit 75 × 0.5 + engagement 74 × 0.5, rounded)',
        '  fit          75',
        '  engagement   74',
        '  tier         hot  (hot at 60, warm at 40)',
        '  lifecycle    SQL  (MQL at 50, SQL at 75)',
        '  model        default-2026-11',
        '  next change  2026-11-21T00:00:00.000Z (in 12 h)',
        '',
        '12 rules fired, biggest first:',
        '  points  part        label                                           rule',
        '  ------  ----------  ----------------------------------------------  -------------------',
        '     +30  engagement  Requested a demo                                demo-form',
        '     +25  fit         Vice president                                  title-vp',
        '     +24  engagement  Filled in a form within 24h of viewing pricing  pricing-then-form',
        '     +15  fit         Mid-sized company (50-999 employees)            company-size-mid',
        '     +15  fit         Works in a target industry                      target-industry',
        '     +10  fit         Business email address                          business-email',
        '     +10  fit         In a country we sell to                         target-country',
        '     +10  engagement  Viewed pricing 2+ times in 7 days               pricing-page-repeat',
        '     +10  engagement  Viewed the pricing page                         pricing-page-views',
        '      -7  engagement  Looked at job openings (job seeker?)            careers-page',
        '      +5  engagement  Visited the website in the last 7 days          recent-visit',
        '      +2  engagement  Clicked a marketing email                       email-clicks',
        '',
      ].join('\n'),
    );
  });

  it('takes --at as epoch milliseconds too, and scores as of then (decay and windows move with it)', async () => {
    const iso = await explain('--lead', LEAD, '--at', AT);
    const ms = await explain('--lead', LEAD, '--at', String(Date.parse(AT)));
    expect(ms.out).toBe(iso.out);
    const later = await explain('--lead', LEAD, '--at', '2026-12-20T12:00:00Z');
    expect(later.code).toBe(0);
    expect(later.out).toMatch(/^ {2}tier {9}(warm|cold) /m);
    expect(later.out).not.toContain('Viewed pricing 2+ times in 7 days');
  });

  it('maps a raw HubSpot contact through the shipped HubSpot mapping (counters, ranges, dates)', async () => {
    const { code, out } = await explain('--lead', HUBSPOT, '--crm', 'hubspot', '--at', AT);
    expect(code).toBe(0);
    expect(out).toContain('Lead 51 <maria.lopez@northwind.example>: a HubSpot contact, mapped through mappings/hubspot.yaml\n');
    // the last form was a demo request: HubSpot keeps it only as the name of the last form
    expect(out).toContain('  score        71  (fit 85 × 0.5 + engagement 57 × 0.5, rounded)\n');
    expect(out).toContain('  tier         hot  (hot at 60, warm at 40)\n');
    expect(out).toContain('  next change  2026-11-21T00:00:00.000Z (in 12 h)\n'); // the next decay step
    const rows = out.split('\n').filter((l) => /^ +[+-]\d+ {2}/.test(l));
    expect(rows[0]).toMatch(/^ {5}\+27 {2}engagement {2}Requested a demo +demo-form-counted$/);
    expect(rows).toContainEqual(expect.stringMatching(/^ {5}\+25 {2}fit {9}Vice president +title-vp$/));
    expect(rows).toContainEqual(expect.stringMatching(/^ {5}\+15 {2}fit {9}Mid-sized company \(50-999 employees\) +company-size-mid$/)); // "201-500" read as 201
    expect(rows).toContainEqual(expect.stringMatching(/^ {6}-7 {2}engagement {2}Activity counted by the CRM capped at 30 +group:crm-counters$/));
    expect(rows).toHaveLength(12);
  });

  it('maps a raw Salesforce Lead (attributes.type) through the shipped Salesforce mapping, its campaign responses included', async () => {
    const { code, out } = await explain('--lead', SALESFORCE, '--crm', 'salesforce', '--at', AT);
    expect(code).toBe(0);
    expect(out).toContain('Lead 00Q5g00000KLMnoEAF <jonas.becker@gmail.com>: a Salesforce Lead, mapped through mappings/salesforce.yaml\n');
    expect(out).toContain('  score        0  (fit 0 × 0.5 + engagement 0 × 0.5, rounded)\n');
    expect(out).toContain('  tier         cold  (hot at 60, warm at 40)\n');
    expect(out).toContain('  next change  never: the score stays as it is until the lead changes\n');
    const rows = out.split('\n').filter((l) => /^ +[+-]\d+ {2}/.test(l));
    expect(rows.map((r) => r.trim().split(/\s{2,}/))).toEqual([
      ['-25', 'fit', 'Student or intern', 'title-student'],
      ['+10', 'fit', 'In a country we sell to', 'target-country'],
      ['-10', 'engagement', 'Opted out of email', 'email-opt-out'],
      ['-10', 'fit', 'Personal email address (free mail)', 'free-mail'],
      ['-5', 'fit', 'Very small company (under 10 employees)', 'company-size-tiny'],
      ['+4', 'engagement', 'Responded to a campaign', 'campaign-response'],
    ]);
  });

  describe('a file it cannot use: exit 1, one line per problem naming the file and where', () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    beforeEach(() => ({ dir, cleanup } = tempDir()));
    afterEach(() => cleanup());

    const write = async (name: string, text: string) => {
      const file = path.join(dir, name);
      await writeConfigDir(dir, { [name]: text });
      return file;
    };

    it('a missing file', async () => {
      const file = path.join(dir, 'nope.json');
      const r = await explain('--lead', file);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`${file}: the file does not exist\n`);
      expect(r.out).toBe('');
    });

    it('a file that is not JSON', async () => {
      const file = await write('broken.json', '{"id": "1",');
      const r = await explain('--lead', file);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(new RegExp(`^${escape(file)}: not valid JSON \\(.+\\)\\n$`));
    });

    it('a lead with wrong fields: the zod path and what was expected', async () => {
      const file = await write('bad.json', JSON.stringify({ id: 7, attributes: { title: { text: 'VP' } }, events: [{ type: 'page_view', at: 'yesterday' }], score: 5 }));
      const r = await explain('--lead', file);
      expect(r.code).toBe(1);
      expect(r.err.split('\n').filter(Boolean)).toEqual([
        `${file} id: expected text, found the number 7`,
        `${file} attributes.title: expected text, a number, true or false or nothing, found an object`,
        `${file} events[0].at: not a date (use ISO 8601, like 2026-11-02T09:30:00Z); found the text "yesterday"`,
        `${file} score: unknown key "score"; allowed here: tenant, objectType, id, email, attributes, events`,
      ]);
    });

    it('a HubSpot contact without properties in object form', async () => {
      const file = await write('contact.json', JSON.stringify({ id: '5', properties: ['jobtitle'] }));
      const r = await explain('--lead', file, '--crm', 'hubspot');
      expect(r.code).toBe(1);
      expect(r.err).toContain(`${file} properties: expected an object {…}, found an array`);
    });

    it('a Salesforce record of a type the mapping does not score, or no record at all', async () => {
      const account = await write('account.json', JSON.stringify({ attributes: { type: 'Account' }, Id: '0015g00000KLMnoEAF' }));
      const a = await explain('--lead', account, '--crm', 'salesforce');
      expect(a.code).toBe(1);
      expect(a.err).toBe(`${account} attributes.type: mappings/salesforce.yaml scores Lead and Contact, not "Account"\n`);

      const bare = await write('bare.json', JSON.stringify({ Id: 'x' }));
      const b = await explain('--lead', bare, '--crm', 'salesforce');
      expect(b.code).toBe(1);
      expect(b.err).toContain(`${bare} attributes: required but missing`);
      expect(b.err).toContain(`${bare} Id: a Salesforce id is 15 or 18 letters and digits`);
    });
  });

  it('reads the config from --config (and says so when it has problems)', async () => {
    const { dir, cleanup } = tempDir();
    try {
      await writeConfigDir(dir, editedTexts({ 'scoring.yaml': ['warm: 40', 'warm: 70'] }));
      const io = captureIo();
      expect(await main(['explain', '--lead', LEAD, '--config', dir], io)).toBe(1);
      expect(io.err()).toMatch(/^lead-scorer explain: the config in .+ has problems \(run "lead-scorer validate"\):\nscoring\.yaml:\d+ thresholds\.warm: warm \(70\) must be below hot \(60\)\n$/);

      await writeConfigDir(dir, editedTexts({ 'scoring.yaml': ['hot: 60', 'hot: 80'] }));
      const ok = captureIo();
      expect(await main(['explain', '--lead', LEAD, '--config', dir, '--at', AT], ok)).toBe(0);
      expect(ok.out()).toContain('  tier         warm  (hot at 80, warm at 40)\n');
    } finally {
      await cleanup();
    }
  });

  it('refuses wrong usage with exit 2', async () => {
    for (const [args, message] of [
      [[], '--lead FILE.json is required'],
      [['--lead', LEAD, '--crm', 'pipedrive'], '--crm must be one of hubspot, salesforce; got "pipedrive"'],
      [['--lead', LEAD, '--at', 'tomorrow'], '--at takes an ISO 8601 time (2026-11-22T09:00:00Z) or epoch milliseconds; got "tomorrow"'],
      [['--lead', LEAD, '--crn', 'hubspot'], 'unknown option --crn (did you mean "--crm"?)'],
    ] as const) {
      const r = await explain(...args);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`lead-scorer explain: ${message}\nRun "lead-scorer explain --help" for usage.\n`);
    }
  });

  it('formats durations and reads times', () => {
    expect(humanDuration(42_000)).toBe('42 s');
    expect(humanDuration(12 * 3_600_000)).toBe('12 h');
    expect(humanDuration(13 * 3_600_000 + 55 * 60_000 + 3_000)).toBe('13 h 55 min');
    expect(humanDuration(5 * 86_400_000 + 4 * 3_600_000)).toBe('5 d 4 h');
    expect(parseTime('2026-11-20')).toBe(Date.parse('2026-11-20'));
    expect(parseTime(' 1795176000000 ')).toBe(1795176000000);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
