import { testRedis } from '../../test/helpers/redis';
import { runDemo } from '../demo/run-demo';
import { renderSummary, summarize } from '../demo/summary';
import { captureIo } from './cli-test-io';
import { main } from './main';

describe('the demo (fast mode: 40 records in each CRM)', () => {
  it('installs through OAuth, backfills, re-scores the live changes, prints the summary and cleans up after itself', async () => {
    let out = '';
    let admin: { status: number; body: string } | undefined;
    const report = await runDemo({
      out: { write: (t: string) => (out += t) },
      env: { REDIS_URL: process.env.REDIS_URL, ADMIN_TOKEN: 'demo-admin' },
      records: 40,
      keepRunning: true,
      // while it keeps running, a newcomer opens the admin page in a browser (HTTP Basic, the admin token as password)
      untilStopped: async () => {
        const url = /admin page +(http:\/\/localhost:\d+\/)/.exec(out)![1]!;
        const res = await fetch(url, { headers: { authorization: `Basic ${Buffer.from('me:demo-admin').toString('base64')}` } });
        admin = { status: res.status, body: await res.text() };
      },
    });

    expect(out).toMatch(/● HubSpot sandbox started at http:\/\/127\.0\.0\.1:\d+, seeded with 40 contacts/);
    expect(out).toContain('GET /install/hubspot → 302 to HubSpot');
    expect(out).toMatch(/callback → 200 "Installed in portal \d+"/);
    expect(out).toContain('    40 of 40 scored');
    expect(out).toContain('HubSpot: 40 of 40 contacts scored\n');
    expect(out).toMatch(/\nTiers\n {2}hot +\d+.*\n {2}warm +\d+.*\n {2}cold +\d+/);
    expect(out).toMatch(/\nScores\n {5}0–9 +\d+/);
    expect(out).toContain('Top 10 leads\n   #  score  tier  name');
    const top = out.split('Top 10 leads\n')[1]!.split('\n').slice(2, 12);
    expect(top).toHaveLength(10);
    for (const row of top) expect(row).toMatch(/^ +\d+ +\d+ {2}(hot |warm|cold) {2}\S/);

    const hubspot = report.crms.find((c) => c.crm === 'hubspot');
    expect(hubspot!.summary.scored).toBe(40);
    expect(hubspot!.summary.tiers.hot + hubspot!.summary.tiers.warm + hubspot!.summary.tiers.cold).toBe(40);
    // the live changes: each changed lead has a new score or new reasons, shown with what changed
    expect(hubspot!.changes).toHaveLength(3);
    for (const { change, after } of hubspot!.changes) {
      expect(after).toBeDefined();
      expect(after!.reasons.join('\n') === change.before.reasons.join('\n') && after!.score === change.before.score).toBe(false);
    }
    expect(out).toContain('now:  +25 Vice president');
    expect(out).toMatch(/Live changes in HubSpot: each one reached the connector as a signed webhook/);

    // routing on in the demo's own config: every hot lead got an owner and an SLA task in the sandbox
    expect(hubspot!.summary.tiers.hot).toBeGreaterThanOrEqual(3);
    expect(hubspot!.slaTasks.length).toBeGreaterThanOrEqual(hubspot!.summary.tiers.hot);
    for (const t of hubspot!.slaTasks) expect(t.subject).toMatch(/^Hot lead \(score \d+\): call within 2h$/);
    expect(out).toMatch(/Routing in HubSpot: \d+ SLA tasks created for \d+ hot leads\nOwners assigned\n {2}\S/);
    expect(out).toMatch(/SLA tasks \(\d+ of \d+\)\n {2}lead +owner +task +due/);

    // Salesforce: the same story, through the PKCE install and an Outbound Message
    expect(out).toMatch(/● Salesforce sandbox started at http:\/\/127\.0\.0\.1:\d+, seeded with 40 leads/);
    expect(out).toContain('GET /install/salesforce → 302 to Salesforce');
    expect(out).toMatch(/callback → 200 "Installed in org 00D\w{15}"/);
    expect(out).toContain('Salesforce: 40 of 40 leads scored\n');
    const salesforce = report.crms.find((c) => c.crm === 'salesforce');
    expect(salesforce?.tenant).toMatch(/^salesforce:00D\w{15}$/);
    expect(salesforce!.summary.scored).toBe(40);
    expect(salesforce!.changes).toHaveLength(1);
    expect(salesforce!.changes[0]!.after!.reasons).toContain('+25 Vice president');
    expect(salesforce!.summary.tiers.hot).toBeGreaterThanOrEqual(3);
    expect(salesforce!.slaTasks.length).toBeGreaterThanOrEqual(salesforce!.summary.tiers.hot);
    for (const t of salesforce!.slaTasks) {
      expect(t.subject).toMatch(/^Hot lead \(score \d+\): call within 2h$/);
      expect(t.owner).not.toMatch(/^005/); // a user's name, not a bare id
    }
    expect(out).toMatch(/Routing in Salesforce: \d+ SLA tasks created for \d+ hot leads\nOwners assigned\n {2}\S/);

    expect(admin?.status).toBe(200);
    expect(admin?.body).toContain(`hubspot:`);
    expect(admin?.body).toContain(`salesforce:`);
    // nothing left behind in Redis
    const r = testRedis();
    try {
      expect(await r.redis.keys(`${report.prefix}*`)).toEqual([]);
    } finally {
      await r.cleanup();
    }
  }, 60_000);

  it('refuses wrong options with exit 2', async () => {
    const leads = captureIo();
    expect(await main(['demo', '--leads', 'many'], leads)).toBe(2);
    expect(leads.err()).toContain('--leads takes a whole number from 1 to 20000; got "many"');
    const crm = captureIo();
    expect(await main(['demo', '--crm', 'pipedrive'], crm)).toBe(2);
    expect(crm.err()).toContain('unknown CRM "pipedrive" (the demo has hubspot, salesforce)');
  });
});

describe('the summary', () => {
  it('counts tiers, bands the scores and lists the top leads, biggest first', () => {
    const leads = [
      { id: '1', name: 'Ana', score: 72, tier: 'hot', title: 'CEO', company: 'Acme', reasons: ['+30 C-level', '+20 Enterprise', '+5 Visited'] },
      { id: '2', name: 'Bo', score: 45, tier: 'warm', reasons: ['+25 Vice president'] },
      { id: '3', name: 'Cy', score: 100, tier: 'hot', reasons: [] },
      { id: '4', name: 'Di', reasons: [] },
    ];
    const s = summarize(leads, 2);
    expect(s).toMatchObject({ scored: 3, total: 4, tiers: { hot: 2, warm: 1, cold: 0 } });
    expect(s.histogram).toEqual([0, 0, 0, 0, 1, 0, 0, 1, 0, 1]);
    expect(s.top.map((l) => l.name)).toEqual(['Cy', 'Ana']);
    const text = renderSummary('HubSpot', 'contacts', s);
    expect(text).toContain('HubSpot: 3 of 4 contacts scored\n');
    expect(text).toContain('  90–100      1  ████████████████████████████████████████\n');
    expect(text).toContain('\n  1    100  hot   Cy\n  2     72  hot   Ana   CEO @ Acme       +30 C-level; +20 Enterprise\n');
    expect(text).toContain('\n  cold      0\n');
  });
});
