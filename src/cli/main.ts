import { suggest } from '../config/suggest';
import { EXIT, processIo, UsageError, type CliIo, type CommandModule } from './cli-io';

/** One subcommand: what `--help` says about it, and how to load its module (lazily: `start` pulls in the server). */
export interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

/**
 * Loads a command module on demand. `require`, not `import()`: the bin runs the sources through
 * tsx's CommonJS hook, which a native dynamic import would bypass.
 */
function lazy(load: () => unknown): () => Promise<CommandModule> {
  return async () => load() as CommandModule;
}

/**
 * The subcommands. Each lives in `src/cli/<name>.ts` and exports `run(args, io): Promise<number>`;
 * to add one, add a line here: `name: { summary, load: lazy(() => require('./name')) }`.
 */
export const COMMANDS: Record<string, CommandEntry> = {
  /* eslint-disable @typescript-eslint/no-require-imports */
  validate: { summary: 'check the config files: exit 0, or 1 with one line per problem', load: lazy(() => require('./validate')) },
  explain: { summary: 'score one lead and show every rule that fired', load: lazy(() => require('./explain')) },
  start: { summary: 'run the connector (HTTP server, workers, schedulers)', load: lazy(() => require('./start')) },
  demo: { summary: 'run the connector against the local CRM sandbox with sample leads', load: lazy(() => require('./demo')) },
  connect: { summary: 'install a HubSpot portal with a private-app token', load: lazy(() => require('./connect')) },
  /* eslint-enable @typescript-eslint/no-require-imports */
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: lead-scorer <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run "lead-scorer <command> --help" for the options of a command.',
    '',
  ].join('\n');
}

/**
 * The `lead-scorer` command line: dispatches to a subcommand and returns the exit code
 * (0 done, 1 problems found, 2 wrong usage). `bin/lead-scorer.js` calls it with `process.argv.slice(2)`.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.stderr.write(usage());
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    if (args[0] !== undefined && args[0] in COMMANDS) return main([args[0], '--help'], io);
    io.stdout.write(usage());
    return EXIT.ok;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const hint = suggest(name, Object.keys(COMMANDS));
    io.stderr.write(`lead-scorer: unknown command "${name}"${hint}\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    const command = await entry.load();
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      const cmd = err.command ?? name;
      io.stderr.write(`lead-scorer ${cmd}: ${err.message}\nRun "lead-scorer ${cmd} --help" for usage.\n`);
      return EXIT.usage;
    }
    throw err;
  }
}
