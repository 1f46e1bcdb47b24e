import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { ConfigError, formatPath, type ConfigProblem } from './config-problem';
import { crossCheck, type ValidParts } from './cross-checks';
import { CRMS, mappingConfig, type CrmName, type MappingConfig } from './mapping-schema';
import { routingConfig, type RoutingConfig } from './routing-schema';
import { scoringConfig, type ScoringConfig } from './scoring-schema';
import { parseYamlSource, type YamlSource } from './yaml-source';
import { validateWith, type PathProblem } from './zod-problems';

/** Where the config files live unless told otherwise (the `CONFIG_DIR` default). */
export const DEFAULT_CONFIG_DIR = './config';

/** The config files, relative to the config directory. */
export const CONFIG_FILES = {
  scoring: 'scoring.yaml',
  routing: 'routing.yaml',
  mapping: (crm: CrmName): string => `mappings/${crm}.yaml`,
} as const;

/** Every config file, in the order problems are reported. */
export const ALL_CONFIG_FILES: readonly string[] = [CONFIG_FILES.scoring, ...CRMS.map(CONFIG_FILES.mapping), CONFIG_FILES.routing];

/** A complete, valid config: the parsed (defaults filled, durations in ms) content of every file. */
export interface LoadedConfig {
  scoring: ScoringConfig;
  mappings: Record<CrmName, MappingConfig>;
  routing: RoutingConfig;
}

/** The outcome of checking a config: the config, or every problem in every file. */
export type ConfigCheck = { ok: true; config: LoadedConfig; problems: [] } | { ok: false; problems: ConfigProblem[] };

/**
 * Loads and validates the config directory.
 * @param dir the config directory (default `./config`; the CLI and the server pass `CONFIG_DIR`)
 * @throws ConfigError with every problem, when any file is missing or invalid
 */
export async function loadConfig(dir: string = DEFAULT_CONFIG_DIR): Promise<LoadedConfig> {
  const check = await checkConfigDir(dir);
  if (!check.ok) throw new ConfigError(check.problems);
  return check.config;
}

/** Like `loadConfig`, but returns the problems instead of throwing. Never throws. */
export async function checkConfigDir(dir: string = DEFAULT_CONFIG_DIR): Promise<ConfigCheck> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    return { ok: false, problems: [{ file: dir, path: '', message: `the config directory does not exist (looked in ${path.resolve(dir)})` }] };
  }
  const texts: Record<string, string | undefined> = {};
  const readProblems: ConfigProblem[] = [];
  await Promise.all(
    ALL_CONFIG_FILES.map(async (file) => {
      try {
        texts[file] = await readFile(path.join(dir, file), 'utf8');
      } catch (err) {
        readProblems.push(await readProblem(dir, file, err));
      }
    }),
  );
  const check = checkConfigTexts(texts);
  if (readProblems.length === 0) return check;
  return { ok: false, problems: sortProblems([...readProblems, ...check.problems]) };
}

async function readProblem(dir: string, file: string, err: unknown): Promise<ConfigProblem> {
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== 'ENOENT') return { file, path: '', message: `cannot read the file (${code ?? String(err)})` };
  const yml = file.replace(/\.yaml$/, '.yml');
  const hasYml = await stat(path.join(dir, yml)).then(
    () => true,
    () => false,
  );
  return { file, path: '', message: hasYml ? `the file is missing; found ${yml}: rename it to ${path.basename(file)}` : `the file is missing (looked for ${path.resolve(dir, file)})` };
}

/**
 * Checks config files given as text, by their name relative to the config directory
 * (`scoring.yaml`, `mappings/hubspot.yaml`, …). Files left out are not reported here (the directory
 * reader reports them as missing) but make the check fail. Pure: no I/O.
 */
export function checkConfigTexts(texts: Readonly<Record<string, string | undefined>>): ConfigCheck {
  const problems: ConfigProblem[] = [];
  const sources = new Map<string, YamlSource>();

  /** Validates one file; `precheck` may find a problem that makes the schema's findings noise. */
  function validate<S extends z.ZodType>(file: string, schema: S, precheck?: (data: unknown) => PathProblem | undefined): z.output<S> | undefined {
    const text = texts[file];
    if (text === undefined) return undefined;
    const source = parseYamlSource(file, text);
    sources.set(file, source);
    problems.push(...source.problems);
    if (source.problems.length > 0) return undefined;
    const blocker = precheck?.(source.data);
    if (blocker) {
      problems.push({ file, path: formatPath(blocker.path), line: source.lineOf(blocker.path), message: blocker.message });
      return undefined;
    }
    const result = validateWith(schema, source.data);
    if (result.success) return result.data;
    for (const p of result.problems) problems.push({ file, path: formatPath(p.path), line: source.lineOf(p.path), message: p.message });
    return undefined;
  }

  const parts: ValidParts = {
    scoring: validate(CONFIG_FILES.scoring, scoringConfig),
    routing: validate(CONFIG_FILES.routing, routingConfig),
    mappings: {},
    files: CONFIG_FILES,
  };
  for (const crm of CRMS) {
    const mapping = validate(CONFIG_FILES.mapping(crm), mappingConfig, (data) => crmMismatch(crm, data));
    if (mapping) parts.mappings[crm] = mapping;
  }
  for (const p of crossCheck(parts)) {
    problems.push({ file: p.file, path: formatPath(p.path), line: sources.get(p.file)?.lineOf(p.path), message: p.message });
  }

  const complete = parts.scoring && parts.routing && CRMS.every((crm) => parts.mappings[crm]);
  if (problems.length === 0 && complete) {
    return { ok: true, problems: [], config: { scoring: parts.scoring as ScoringConfig, routing: parts.routing as RoutingConfig, mappings: parts.mappings as Record<CrmName, MappingConfig> } };
  }
  return { ok: false, problems: sortProblems(problems) };
}

/** A mapping file for another CRM than its name says would be checked against the wrong CRM's rules: say only that. */
function crmMismatch(crm: CrmName, data: unknown): PathProblem | undefined {
  const declared = (data as { crm?: unknown } | null)?.crm;
  if (typeof declared === 'string' && declared !== crm && (CRMS as readonly string[]).includes(declared)) {
    return { path: ['crm'], message: `this file maps ${crm} (its name says so) but crm is "${declared}"` };
  }
  return undefined;
}

/** By file (in the order of ALL_CONFIG_FILES), then by line. */
function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  const order = (file: string) => {
    const i = ALL_CONFIG_FILES.indexOf(file);
    return i < 0 ? -1 : i;
  };
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => order(a.p.file) - order(b.p.file) || (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}
