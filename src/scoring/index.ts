/** The scoring engine: pure, deterministic, no I/O. Compile a model once, then score leads with it. */
export { compileModel, type CompiledModel } from './compile-model';
export { scoreLead } from './score-lead';
export type { ScoreResult, Reason, Tier, Part } from './types';
