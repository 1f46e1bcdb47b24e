import { parseArgs, type ParseArgsConfig } from 'node:util';
import { suggest } from '../config/suggest';
import { UsageError } from './cli-io';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's flags strictly (no positionals unless allowed) with node:util parseArgs, and
 * turns its errors into one-line usage errors: `unknown option --conf`.
 */
export function parseFlags<O extends Options>(command: string, args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError(explain(err, options), command);
  }
}

function explain(err: unknown, options: Options): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const flag = /'(-{1,2}[^'\s]+)/.exec(message)?.[1];
  const known = Object.keys(options).map((name) => `--${name}`);
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag ?? '?'}${(flag && suggest(flag, known)) || ` (options: ${known.join(', ')})`}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = /--([\w-]+)/.exec(message)?.[1];
      const option = name ? options[name] : undefined;
      return option?.type === 'string' ? `--${name} needs a value` : `--${name ?? '?'} takes no value`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}`.trim();
    default:
      return message;
  }
}
