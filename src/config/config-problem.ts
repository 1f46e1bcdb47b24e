/**
 * One thing wrong with the config, told the way an admin can fix it:
 * `scoring.yaml:42 engagement.rules[3].within: a duration is a number and a unit: 90s, 15m, 2h, 7d`.
 */
export interface ConfigProblem {
  /** The file, relative to the config directory: `scoring.yaml`, `mappings/hubspot.yaml`. */
  file: string;
  /** Where inside the file, like `engagement.rules[3].within`; empty for the file as a whole. */
  path: string;
  /** The 1-based line the problem is on (or the nearest line the parser knows), when known. */
  line?: number;
  /** What is wrong, and what was expected. */
  message: string;
}

/** A config that cannot be used: every problem in every file, not only the first. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  /** Fixing the files is the only cure: retrying never helps. */
  readonly retryable = false;
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], options?: { cause?: unknown }) {
    const n = problems.length;
    super(`the config is invalid (${n} problem${n === 1 ? '' : 's'}):\n${formatProblems(problems)}`, options);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** One line: `file:line path: message` (the line and the path are left out when unknown or empty). */
export function formatProblem(p: ConfigProblem): string {
  const where = `${p.file}${p.line !== undefined ? `:${p.line}` : ''}${p.path ? ` ${p.path}` : ''}`;
  return `${where}: ${p.message}`;
}

/** One line per problem. */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map(formatProblem).join('\n');
}

/** A path segment list as an admin reads it: `engagement.rules[3].within`, `attributes["Account.Industry"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      if (/^[A-Za-z0-9_$-]+$/.test(key)) out += out ? `.${key}` : key;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}
