import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, formatProblem } from './config-problem';
import { ALL_CONFIG_FILES, checkConfigDir, checkConfigTexts, loadConfig } from './load-config';
import { editedTexts, lineOf, shippedTexts, SHIPPED_CONFIG_DIR, tempDir, writeConfigDir } from './testing-fixtures';

const DAY = 86_400_000;

describe('the shipped config', () => {
  it('loads, with durations in ms and every default filled in', async () => {
    const config = await loadConfig(SHIPPED_CONFIG_DIR);

    expect(config.scoring.thresholds).toEqual({ hot: 60, warm: 40 });
    expect(config.scoring.lifecycle).toEqual({ mql: 50, sql: 75 });
    expect(config.scoring.weights).toEqual({ fit: 0.5, engagement: 0.5 });
    expect(config.scoring.engagement.decay).toEqual({ type: 'halfLife', halfLife: 30 * DAY, step: DAY });

    expect(config.mappings.hubspot.output).toEqual({
      group: 'lead_scoring',
      score: 'lead_score',
      fit: 'lead_score_fit',
      engagement: 'lead_score_engagement',
      tier: 'lead_score_tier',
      reasons: 'lead_score_reasons',
      model: 'lead_score_model',
      updatedAt: 'lead_score_updated_at',
    });
    expect(config.mappings.salesforce.output.score).toBe('Lead_Score__c');
    expect(config.mappings.salesforce.output.updatedAt).toBe('Lead_Score_Updated_At__c');
    expect(config.mappings.hubspot.objects.contact?.attributes.companySize).toEqual({ field: 'numemployees', type: 'range' });
    expect(config.mappings.hubspot.objects.contact?.attributes.title).toEqual({ field: 'jobtitle', type: 'string' });
    expect(Object.keys(config.mappings.salesforce.objects)).toEqual(['Lead', 'Contact']);

    expect(config.routing.sla.map((r) => [r.tier, r.due])).toEqual([
      ['hot', 60 * 60_000],
      ['warm', DAY],
    ]);
    expect(config.routing.recycle).toEqual({ after: 2 * DAY, maxTimes: 2 });
    expect(config.routing.capacity.maxActiveLeadsPerOwner).toBe(25);
    expect(config.routing.outOfOffice['005000000000003AAA']).toEqual([{ from: Date.UTC(2026, 11, 24), to: Date.UTC(2027, 0, 3) }]);
  });

  it('is valid as text too (checkConfigTexts, no I/O)', () => {
    expect(checkConfigTexts(shippedTexts())).toMatchObject({ ok: true, problems: [] });
  });
});

describe('loading a directory', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    await writeConfigDir(dir, shippedTexts());
  });
  afterEach(() => cleanup());

  it('throws a ConfigError with code CONFIG_INVALID and every problem', async () => {
    const texts = editedTexts({ 'scoring.yaml': ['warm: 40', 'warm: 70'], 'routing.yaml': ['maxTimes: 2', 'maxTimes: 2.5'] });
    await writeConfigDir(dir, texts);
    const error = await loadConfig(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.code).toBe('CONFIG_INVALID');
    expect(configError.retryable).toBe(false);
    expect(configError.problems.map((p) => `${p.file} ${p.path}`)).toEqual(['scoring.yaml thresholds.warm', 'routing.yaml recycle.maxTimes']);
    const line = lineOf(texts['scoring.yaml'] as string, 'warm: 70');
    expect(configError.message).toContain(`scoring.yaml:${line} thresholds.warm: warm (70) must be below hot (60)`);
  });

  it('reports a missing file with its absolute location', async () => {
    await rm(path.join(dir, 'routing.yaml'));
    const check = await checkConfigDir(dir);
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([{ file: 'routing.yaml', path: '', message: `the file is missing (looked for ${path.join(dir, 'routing.yaml')})` }]);
    expect(formatProblem(check.problems[0]!)).toBe(`routing.yaml: the file is missing (looked for ${path.join(dir, 'routing.yaml')})`);
  });

  it('names a .yml file that should be .yaml', async () => {
    await rename(path.join(dir, 'mappings/hubspot.yaml'), path.join(dir, 'mappings/hubspot.yml'));
    const check = await checkConfigDir(dir);
    expect(check.problems).toEqual([{ file: 'mappings/hubspot.yaml', path: '', message: 'the file is missing; found mappings/hubspot.yml: rename it to hubspot.yaml' }]);
  });

  it('reports every missing file of an empty directory', async () => {
    const empty = tempDir();
    try {
      const check = await checkConfigDir(empty.dir);
      expect(check.problems.map((p) => p.file)).toEqual([...ALL_CONFIG_FILES]);
      expect(check.problems.every((p) => p.message.startsWith('the file is missing'))).toBe(true);
    } finally {
      await empty.cleanup();
    }
  });

  it('reports a config directory that does not exist', async () => {
    const missing = path.join(dir, 'nope');
    const check = await checkConfigDir(missing);
    expect(check.problems).toEqual([{ file: missing, path: '', message: `the config directory does not exist (looked in ${missing})` }]);
  });

  it('reports a file that cannot be read', async () => {
    await rm(path.join(dir, 'scoring.yaml'));
    await writeConfigDir(dir, { 'scoring.yaml/x': '' }); // scoring.yaml is now a directory
    const check = await checkConfigDir(dir);
    expect(check.problems).toEqual([{ file: 'scoring.yaml', path: '', message: 'cannot read the file (EISDIR)' }]);
  });

  it('accepts a config whose optional parts are left out', async () => {
    await writeFile(
      path.join(dir, 'routing.yaml'),
      'sla:\n  - { minScore: 80, due: 30m }\nrecycle: { after: 3d, maxTimes: 0 }\ncapacity: { maxActiveLeadsPerOwner: 10 }\nfallback: { owner: 12345 }\n',
    );
    const config = await loadConfig(dir);
    expect(config.routing).toMatchObject({
      enabled: true,
      eligible: { tier: 'hot' },
      overwriteHumanOwner: false,
      placeholderOwners: [],
      accountMatching: { enabled: true, ignoreDomainsInList: 'freeMail' },
      rules: [],
      pools: {},
      outOfOffice: {},
      fallback: { owner: '12345' },
    });
  });
});
