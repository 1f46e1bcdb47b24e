import { DEMO_CRMS } from '../demo/crms';
import { runDemo, type DemoOptions } from '../demo/run-demo';
import { logger } from '../logging/logger';
import { EXIT, UsageError, type CliIo } from './cli-io';
import { parseFlags } from './parse-flags';

const HELP = `Usage: lead-scorer demo [--leads N] [--crm NAME]... [--keep-running]

Runs the connector against a local CRM sandbox with sample leads, with no CRM account: starts the
sandbox, seeds it, starts the connector in this process, installs it through the CRM's OAuth flow,
waits for the backfill, makes a few live changes (each reaches the connector as a signed webhook) and
prints what the CRM now shows: tier counts, a score histogram and the top 10 leads with their reasons.
Needs only Redis at REDIS_URL; everything the demo creates there is removed at the end.

Options:
      --leads N        sample leads per CRM (default 300)
      --crm NAME       run only this CRM (${Object.keys(DEMO_CRMS).join(', ')}); default: all
      --seed TEXT      seed of the sample data (default "demo": the same leads every run)
      --keep-running   keep the connector up after the summary, to browse the admin page (Ctrl+C stops)
  -h, --help           show this help

The connector logs warnings only, unless LOG_LEVEL is set.
`;

/** `lead-scorer demo`. Ctrl+C stops it at any point, and it still removes what it created. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await runDemoCommand(args, io, { signal: stop.signal });
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

export async function runDemoCommand(args: string[], io: CliIo, extra: Partial<DemoOptions> = {}): Promise<number> {
  const { values } = parseFlags('demo', args, {
    leads: { type: 'string' },
    crm: { type: 'string', multiple: true },
    seed: { type: 'string' },
    'keep-running': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const records = values.leads === undefined ? 300 : Number(values.leads);
  if (!Number.isInteger(records) || records < 1 || records > 20_000) throw new UsageError(`--leads takes a whole number from 1 to 20000; got "${values.leads}"`, 'demo');
  const crms = values.crm?.flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean);
  for (const c of crms ?? []) if (!Object.hasOwn(DEMO_CRMS, c)) throw new UsageError(`unknown CRM "${c}" (the demo has ${Object.keys(DEMO_CRMS).join(', ')})`, 'demo');

  const quiet = io.env.LOG_LEVEL === undefined && extra.logger === undefined;
  const level = logger.level;
  if (quiet) logger.level = 'warn';
  try {
    await runDemo({
      out: io.stdout,
      env: io.env,
      records,
      ...(crms?.length ? { crms } : {}),
      ...(values.seed !== undefined ? { seed: values.seed } : {}),
      keepRunning: values['keep-running'] ?? false,
      ...extra,
    });
    return EXIT.ok;
  } catch (err) {
    if (extra.signal?.aborted) return EXIT.ok; // stopped by the user, and cleaned up
    io.stderr.write(`lead-scorer demo: ${(err as Error).message}\n`);
    return EXIT.problems;
  } finally {
    if (quiet) logger.level = level;
  }
}
