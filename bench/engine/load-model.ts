import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { scoringConfig, type ScoringConfig } from '../../src/config/scoring-schema';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface LoadedModel {
  config: ScoringConfig;
  /** The file it came from, relative to the repository when inside it. */
  file: string;
  /** How it was read: the connector's own loader, or `yaml` + the zod schema. */
  via: string;
  /** Set when the connector's loader could not be used (and why). */
  note?: string;
}

/**
 * The scoring model to benchmark.
 * - Default: `config/scoring.yaml` (or `$CONFIG_DIR/scoring.yaml`), through the connector's own
 *   `loadConfig` (the same parsing and validation the service uses). If that loader refuses the
 *   directory because of a problem in another file (routing, mappings), the scoring file is read
 *   directly with `yaml` + `scoringConfig` and the reason is reported.
 * - `modelFile`: any scoring YAML file (like `bench/engine/every-rule-kind.yaml`), read with `yaml` + `scoringConfig`.
 */
export async function loadScoringModel(modelFile?: string): Promise<LoadedModel> {
  if (modelFile !== undefined) {
    const file = path.resolve(modelFile);
    return { config: parseScoringFile(file), file: display(file), via: 'yaml + scoringConfig' };
  }
  const dir = path.resolve(process.env.CONFIG_DIR ?? path.join(REPO_ROOT, 'config'));
  const file = path.join(dir, 'scoring.yaml');
  if (!existsSync(file)) {
    throw new Error(`${display(file)} does not exist: the engine benchmark runs the shipped default model (or pass --model FILE)`);
  }
  try {
    const { loadConfig } = await import('../../src/config/load-config');
    const loaded = await loadConfig(dir);
    return { config: loaded.scoring, file: display(file), via: 'loadConfig (src/config/load-config.ts)' };
  } catch (err) {
    const problems = (err as { problems?: { file: string; path: string; message: string }[] }).problems;
    const inScoring = problems?.filter((p) => p.file === 'scoring.yaml') ?? [];
    if (inScoring.length > 0) {
      throw new Error(`${display(file)} is not a valid scoring model:\n${inScoring.map((p) => `  ${p.path || '(root)'}: ${p.message}`).join('\n')}`);
    }
    const why = problems ? problems.map((p) => `${p.file} ${p.path}: ${p.message}`).join('; ') : err instanceof Error ? err.message : String(err);
    return { config: parseScoringFile(file), file: display(file), via: 'yaml + scoringConfig', note: `loadConfig refused the config directory (${why})` };
  }
}

function parseScoringFile(file: string): ScoringConfig {
  const parsed = scoringConfig.safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`${display(file)} is not a valid scoring model:\n${problems}`);
  }
  return parsed.data;
}

function display(file: string): string {
  const rel = path.relative(REPO_ROOT, file);
  return rel.startsWith('..') ? file : rel;
}
