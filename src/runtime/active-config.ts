import type { LoadedConfig } from '../config/load-config';
import type { ActiveConfig } from '../pipeline/context';
import { compileModel } from '../scoring/compile-model';

/** Compiles a freshly validated config into the one the service runs with. */
export function activate(loaded: LoadedConfig): ActiveConfig {
  return { ...loaded, model: compileModel(loaded.scoring) };
}
