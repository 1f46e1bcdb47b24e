/** Options every benchmark module receives from `bench/index.ts`. */
export interface BenchOptions {
  /** How many leads (or records) to work on; each benchmark has its own default when unset. */
  leads?: number;
  /** Seed of the synthetic data (default 42): the same seed gives the same data. */
  seed: number;
  /** How many leads to cross-check between engines before timing (engine benchmark; default 1,000). */
  verify?: number;
  /** A scoring YAML file to use instead of the shipped `config/scoring.yaml`. */
  model?: string;
  /** Where results are written as JSON (default `bench/results`, gitignored). */
  resultsDir: string;
}

/** A benchmark module: `bench/<name>.bench.ts` exporting `run`. It throws (or rejects) when it fails. */
export interface BenchModule {
  run(opts: BenchOptions): Promise<unknown>;
}
