import { formatProblem } from '../config/config-problem';
import { ALL_CONFIG_FILES, checkConfigDir, CONFIG_FILES, DEFAULT_CONFIG_DIR, type LoadedConfig } from '../config/load-config';
import { CRMS } from '../config/mapping-schema';
import { EXIT, type CliIo } from './cli-io';
import { parseFlags } from './parse-flags';

const HELP = `Usage: lead-scorer validate [--config DIR]

Checks the config files (${ALL_CONFIG_FILES.join(', ')}).
Exit code 0 when they are valid; 1 with one line per problem:
  <file>:<line> <path inside the file>: <what is wrong>

Options:
  -c, --config DIR   the config directory (default: $CONFIG_DIR, else ${DEFAULT_CONFIG_DIR})
  -h, --help         show this help
`;

/** `lead-scorer validate [--config DIR]`: checks every config file and prints every problem. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('validate', args, {
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const dir = values.config ?? io.env.CONFIG_DIR ?? DEFAULT_CONFIG_DIR;
  const check = await checkConfigDir(dir);
  if (!check.ok) {
    io.stderr.write(check.problems.map((p) => `${formatProblem(p)}\n`).join(''));
    return EXIT.problems;
  }
  io.stdout.write(`ok: ${summary(check.config)}\n`);
  return EXIT.ok;
}

/** One line saying what was checked: the model, the rule counts, the mapped objects, the routing. */
export function summary(config: LoadedConfig): string {
  const { scoring, routing } = config;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [
    `${CONFIG_FILES.scoring} (model ${scoring.model}, ${plural(scoring.fit.rules.length, 'fit rule')}, ${plural(scoring.engagement.rules.length, 'engagement rule')})`,
    ...CRMS.map((crm) => {
      const objects = Object.entries(config.mappings[crm].objects).map(([type, o]) =>
        [`${type}: ${plural(Object.keys(o.attributes).length, 'attribute')}`, ...(o.events.length > 0 ? [plural(o.events.length, 'event source')] : [])].join(', '),
      );
      return `${CONFIG_FILES.mapping(crm)} (${objects.join('; ')})`;
    }),
    `${CONFIG_FILES.routing} (${routing.enabled ? 'routing on' : 'routing off'}; ${plural(routing.sla.length, 'SLA rule')}, ${plural(Object.keys(routing.pools).length, 'pool')})`,
  ];
  return parts.join(', ');
}
