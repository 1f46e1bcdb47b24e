import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { editedTexts, lineOf, shippedTexts, SHIPPED_CONFIG_DIR, tempDir, writeConfigDir } from '../config/testing-fixtures';
import { captureIo } from './cli-test-io';
import { main } from './main';

const ROOT = path.resolve(__dirname, '../..');

describe('lead-scorer validate', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('exits 0 with a one-line summary on the shipped config', async () => {
    const io = captureIo();
    const code = await main(['validate', '--config', SHIPPED_CONFIG_DIR], io);
    expect(code).toBe(0);
    expect(io.err()).toBe('');
    const out = io.out();
    expect(out.split('\n')).toHaveLength(2); // one line and the final newline
    expect(out).toMatch(/^ok: scoring\.yaml \(model default-2026-11, \d+ fit rules, \d+ engagement rules\), mappings\/hubspot\.yaml \(contact: \d+ attributes\), mappings\/salesforce\.yaml \(Lead: \d+ attributes, 3 event sources; Contact: \d+ attributes, 3 event sources\), routing\.yaml \(routing off; 2 SLA rules, 3 pools\)\n$/);
  });

  it('exits 1 with one line per problem: file:line path: what is wrong', async () => {
    const texts = editedTexts({
      'scoring.yaml': [
        ['within: 7d\n      points: 10', 'within: 7days\n      points: 10'],
        ['warm: 40', 'warm: 70'],
      ],
      'routing.yaml': ['maxActiveLeadsPerOwner: 25', 'maxActiveLeadsPerOwner: -5'],
    });
    await writeConfigDir(dir, texts);
    const io = captureIo();
    const code = await main(['validate', '--config', dir], io);
    expect(code).toBe(1);
    expect(io.out()).toBe('');
    const s = texts['scoring.yaml'] as string;
    expect(io.err().split('\n').filter(Boolean)).toEqual([
      `scoring.yaml:${lineOf(s, 'warm: 70')} thresholds.warm: warm (70) must be below hot (60)`,
      `scoring.yaml:${lineOf(s, 'within: 7days')} engagement.rules[1].within: a duration is a number and a unit: 90s, 15m, 2h, 7d (units: ms, s, m, h, d, w); found the text "7days"`,
      `routing.yaml:${lineOf(texts['routing.yaml'] as string, 'maxActiveLeadsPerOwner: -5')} capacity.maxActiveLeadsPerOwner: must be greater than 0, found the number -5`,
    ]);
  });

  it('reports missing files without a line', async () => {
    const texts = shippedTexts();
    delete texts['mappings/salesforce.yaml'];
    await writeConfigDir(dir, texts);
    const io = captureIo();
    expect(await main(['validate', '-c', dir], io)).toBe(1);
    expect(io.err()).toBe(`mappings/salesforce.yaml: the file is missing (looked for ${path.join(dir, 'mappings/salesforce.yaml')})\n`);
  });

  it('reads CONFIG_DIR when --config is not given', async () => {
    await writeConfigDir(dir, editedTexts({ 'routing.yaml': ['maxTimes: 2', 'maxTimes: 2.5'] }));
    const io = captureIo({ CONFIG_DIR: dir });
    expect(await main(['validate'], io)).toBe(1);
    expect(io.err()).toContain('routing.yaml:');
    expect(io.err()).toContain('recycle.maxTimes: expected a whole number, found the number 2.5');
  });

  it('refuses unknown flags and missing values with exit 2', async () => {
    const unknown = captureIo();
    expect(await main(['validate', '--conf', dir], unknown)).toBe(2);
    expect(unknown.err()).toBe('lead-scorer validate: unknown option --conf (did you mean "--config"?)\nRun "lead-scorer validate --help" for usage.\n');

    const noValue = captureIo();
    expect(await main(['validate', '--config'], noValue)).toBe(2);
    expect(noValue.err()).toContain('--config needs a value');

    const extra = captureIo();
    expect(await main(['validate', 'config'], extra)).toBe(2);
    expect(extra.err()).toContain('unexpected argument config');
  });

  it('prints its usage with --help', async () => {
    const io = captureIo();
    expect(await main(['validate', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: lead-scorer validate [--config DIR]');
    expect(io.out()).toContain('$CONFIG_DIR');
  });

  it('works through the bin, as `npx lead-scorer validate` runs it', async () => {
    await writeConfigDir(dir, editedTexts({ 'scoring.yaml': ['warm: 40', 'warm: 70'] }));
    const run = promisify(execFile);
    const good = await run(process.execPath, [path.join(ROOT, 'bin/lead-scorer.js'), 'validate', '--config', SHIPPED_CONFIG_DIR], { cwd: ROOT });
    expect(good.stdout).toMatch(/^ok: scoring\.yaml/);

    const bad = await run(process.execPath, [path.join(ROOT, 'bin/lead-scorer.js'), 'validate', '--config', dir], { cwd: ROOT }).then(
      () => undefined,
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(bad?.code).toBe(1);
    expect(bad?.stderr).toMatch(/^scoring\.yaml:\d+ thresholds\.warm: warm \(70\) must be below hot \(60\)\n$/);
  });
});
