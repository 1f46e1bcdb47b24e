import { Session } from 'node:inspector';
import { findSourceMap } from 'node:module';
import path from 'node:path';

/** The parts of a V8 .cpuprofile this summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/**
 * Profiles `work` with V8's sampling CPU profiler (the one `node --cpu-prof` uses), through the
 * inspector, so only the code under study is in the profile (not the data generation).
 */
export async function profile(work: () => void, intervalUs = 100): Promise<CpuProfile> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: intervalUs });
  await post('Profiler.start');
  work();
  const { profile: p } = await post<{ profile: CpuProfile }>('Profiler.stop');
  session.disconnect();
  return p;
}

export interface FunctionShare {
  fn: string;
  where: string;
  selfPct: number;
  totalPct: number;
}

/** Self and inclusive time by function (name + file:line), as shares of all samples. */
export function summarize(p: CpuProfile, root: string): FunctionShare[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfSamples = new Map<number, number>();
  for (const id of p.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  const total = p.samples.length;
  const keyOf = (id: number) => {
    const cf = byId.get(id)!.callFrame;
    const file = cf.url ? path.relative(root, cf.url.replace(/^file:\/\//, '')) : '';
    return { fn: cf.functionName || '(anonymous)', where: file ? `${file}:${originalLine(cf.url, cf.lineNumber, cf.columnNumber)}` : '' };
  };
  const self = new Map<string, { fn: string; where: string; n: number }>();
  const inclusive = new Map<string, number>();
  // Inclusive: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackKeys = new Map<number, Set<string>>();
  const keysFor = (id: number): Set<string> => {
    let s = stackKeys.get(id);
    if (s) return s;
    const up = parent.get(id);
    s = new Set(up === undefined ? [] : keysFor(up));
    const k = keyOf(id);
    s.add(`${k.fn}@${k.where}`);
    stackKeys.set(id, s);
    return s;
  };
  for (const [id, n] of selfSamples) {
    const k = keyOf(id);
    const key = `${k.fn}@${k.where}`;
    const e = self.get(key) ?? { ...k, n: 0 };
    e.n += n;
    self.set(key, e);
    for (const s of keysFor(id)) inclusive.set(s, (inclusive.get(s) ?? 0) + n);
  }
  const all = new Map<string, FunctionShare>();
  for (const [key, n] of inclusive) {
    const [fn, where] = key.split('@') as [string, string];
    all.set(key, { fn, where, selfPct: (100 * (self.get(key)?.n ?? 0)) / total, totalPct: (100 * n) / total });
  }
  return [...all.values()];
}

/**
 * The line in the TypeScript source, through the source map tsx attaches to the code it compiles
 * (needs source maps on: `node --enable-source-maps`); else the line in the compiled code.
 */
function originalLine(url: string, line: number, column: number): number {
  try {
    const entry = findSourceMap(url)?.findEntry(line, column) as { originalLine?: number } | undefined;
    if (entry && typeof entry.originalLine === 'number') return entry.originalLine + 1;
  } catch {
    // no source map: fall through
  }
  return line + 1;
}
