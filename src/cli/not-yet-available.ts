import { EXIT, type CommandModule } from './cli-io';

/** A command the dispatch table names but that is not built yet: says so and exits with 2. */
export function notYetAvailable(name: string): CommandModule {
  return {
    run: async (_args, io) => {
      io.stderr.write(`lead-scorer ${name}: not yet available\n`);
      return EXIT.usage;
    },
  };
}
