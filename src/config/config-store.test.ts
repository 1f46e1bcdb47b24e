import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from './config-problem';
import { ConfigStore, type ConfigLogger } from './config-store';
import { lineOf, replaceOnce, shippedTexts, tempDir, writeConfigDir } from './testing-fixtures';

function recordingLogger(): ConfigLogger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, warn: (m) => warnings.push(m), info: (m) => infos.push(m) };
}

describe('ConfigStore', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: ConfigStore | undefined;
  const texts = shippedTexts();
  const scoringFile = () => path.join(dir, 'scoring.yaml');

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    await writeConfigDir(dir, texts);
  });
  afterEach(async () => {
    store?.close();
    store = undefined;
    await cleanup();
  });

  it('refuses a broken edit and keeps the last good config in force, then takes the fixed one', async () => {
    const logger = recordingLogger();
    store = await ConfigStore.open({ dir, logger });
    const first = store.config;
    expect(first.scoring.thresholds.hot).toBe(60);
    const changes: number[] = [];
    store.onChange((config, previous) => changes.push(previous.scoring.thresholds.hot, config.scoring.thresholds.hot));

    // broken: warm above hot
    const broken = replaceOnce(texts['scoring.yaml'] as string, 'warm: 40', 'warm: 70');
    await writeFile(scoringFile(), broken);
    const problems = await store.reload();
    expect(problems).toEqual([{ file: 'scoring.yaml', path: 'thresholds.warm', line: lineOf(broken, 'warm: 70'), message: 'warm (70) must be below hot (60)' }]);
    expect(store.config).toBe(first);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('config change refused (1 problem); the last good config stays in force');
    expect(logger.warnings[0]).toContain('scoring.yaml:');
    expect(changes).toEqual([]);

    // fixed, with a new hot threshold
    await writeFile(scoringFile(), replaceOnce(texts['scoring.yaml'] as string, 'hot: 60', 'hot: 65'));
    expect(await store.reload()).toEqual([]);
    expect(store.config).not.toBe(first);
    expect(store.config.scoring.thresholds.hot).toBe(65);
    expect(changes).toEqual([60, 65]);
    expect(logger.infos).toContain('config reloaded');
  });

  it('does not open on a broken config', async () => {
    await writeFile(path.join(dir, 'routing.yaml'), 'sla: []\n');
    const error = await ConfigStore.open({ dir, logger: recordingLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.path)).toEqual(expect.arrayContaining(['recycle', 'capacity']));
  });

  it('runs reloads one at a time, and a reload asked for during one reads the files again', async () => {
    const logger = recordingLogger();
    store = await ConfigStore.open({ dir, logger });
    const a = store.reload();
    await writeFile(scoringFile(), replaceOnce(texts['scoring.yaml'] as string, 'hot: 60', 'hot: 70'));
    const b = store.reload();
    const c = store.reload();
    expect(b).not.toBe(a);
    expect(c).toBe(b); // calls during one reload share the next one
    await Promise.all([a, b]);
    expect(logger.infos.filter((m) => m === 'config reloaded')).toHaveLength(2);
    expect(store.config.scoring.thresholds.hot).toBe(70);
  });

  it('watches the directory when asked, and reloads after an edit settles', async () => {
    const logger = recordingLogger();
    store = await ConfigStore.open({ dir, watch: true, debounceMs: 50, logger });
    const changed = new Promise<number>((resolve) => store?.onChange((config) => resolve(config.scoring.thresholds.hot)));
    await writeFile(scoringFile(), replaceOnce(texts['scoring.yaml'] as string, 'hot: 60', 'hot: 75'));
    await expect(changed).resolves.toBe(75);

    // a broken edit through the watcher is refused and logged
    await writeFile(path.join(dir, 'mappings/hubspot.yaml'), 'crm: hubspot\nobjects: {}\n');
    await waitFor(() => logger.warnings.length > 0);
    expect(logger.warnings[0]).toContain('mappings/hubspot.yaml');
    expect(store.config.scoring.thresholds.hot).toBe(75);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
