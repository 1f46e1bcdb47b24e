import path from 'node:path';
import type { BenchModule, BenchOptions } from './types';

/**
 * `npm run bench [-- NAME ...] [--leads N] [--seed N] [--verify N] [--model FILE]`
 *
 * Runs the benchmarks in sequence (all of them, or the ones named). Each benchmark is a module
 * `bench/<name>.bench.ts` exporting `run(opts)`; add one by adding a line to BENCHMARKS.
 * Results are printed and written as JSON to bench/results/<name>.json (gitignored).
 */
const BENCHMARKS: Record<string, { about: string; load: () => Promise<BenchModule> }> = {
  engine: {
    about: 'scoring engine vs json-rules-engine on the same rules: leads/s, p99 per lead, agreement',
    load: () => import('./engine.bench'),
  },
  hubspot: { about: 'HubSpot connector vs the sandbox at public-app limits: backfill 10k/100k vs the floor, webhook latency, fairness, RSS', load: () => import('./hubspot.bench') },
  salesforce: { about: 'Salesforce connector vs the sandbox: backfill 10k/100k Leads, calls per 1,000 leads vs the floor (with/without event queries), elapsed, budget, RSS', load: () => import('./salesforce.bench') },
};

const USAGE = `usage: npm run bench [-- NAME ...] [--leads N] [--seed N] [--verify N] [--model FILE]

  NAME          one or more of: ${Object.keys(BENCHMARKS).join(', ')} (default: all, in this order)
  --leads N     how many leads (default: each benchmark's own; engine: 100,000)
  --seed N      seed of the synthetic data (default 42)
  --verify N    engine: leads cross-checked against json-rules-engine before timing (default 1,000)
  --model FILE  engine: a scoring YAML file instead of config/scoring.yaml

${Object.entries(BENCHMARKS)
  .map(([name, b]) => `  ${name.padEnd(12)}  ${b.about}`)
  .join('\n')}`;

export function parseArgs(argv: readonly string[]): { names: string[]; opts: BenchOptions } {
  const names: string[] = [];
  const opts: BenchOptions = { seed: 42, resultsDir: path.join(__dirname, 'results') };
  const positiveInt = (flag: string, v: string | undefined): number => {
    const n = Number(v?.replace(/[_,]/g, ''));
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive whole number, got ${JSON.stringify(v ?? '')}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.startsWith('--') ? (argv[i]!.split(/=(.*)/s) as [string, string | undefined]) : [argv[i]!, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--leads':
        opts.leads = positiveInt(flag, value());
        break;
      case '--seed':
        opts.seed = positiveInt(flag, value());
        break;
      case '--verify':
        opts.verify = positiveInt(flag, value());
        break;
      case '--model': {
        const v = value();
        if (!v) throw new Error('--model needs a file');
        opts.model = v;
        break;
      }
      case '--help':
      case '-h':
        throw new HelpRequested();
      default:
        if (flag.startsWith('-')) throw new Error(`unknown option ${flag}`);
        if (!(flag in BENCHMARKS)) throw new Error(`unknown benchmark "${flag}" (there are: ${Object.keys(BENCHMARKS).join(', ')})`);
        if (!names.includes(flag)) names.push(flag);
    }
  }
  return { names: names.length > 0 ? names : Object.keys(BENCHMARKS), opts };
}

class HelpRequested extends Error {}

async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (err) {
    if (err instanceof HelpRequested) {
      console.log(USAGE);
      return 0;
    }
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  let failed = 0;
  for (const name of parsed.names) {
    console.log(`\n=== bench: ${name} ===`);
    try {
      const mod = await BENCHMARKS[name]!.load();
      await mod.run(parsed.opts);
    } catch (err) {
      failed++;
      console.error(`\nbench ${name} FAILED: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
