/**
 * The parent's side of a benchmark's service process: forks a script (so that the connector's
 * memory is measured on its own), waits for it to say it is ready, calls its ops over IPC and stops
 * it. Its stdout and stderr (warnings: 429s, budget pauses, retries) go to a log file next to the results.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export class ForkedService {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited: string | undefined;

  private constructor(private readonly child: ChildProcess) {}

  /** Forks `script`, waits for its `{ready: true}`, then runs its `start` op with `args` and returns its answer. */
  static async start<R>(script: string, args: unknown, logFile: string, execArgv: string[] = []): Promise<{ service: ForkedService; started: R }> {
    mkdirSync(path.dirname(logFile), { recursive: true });
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = fork(script, [], {
      execArgv: ['--import', 'tsx', ...execArgv],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' },
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    await new Promise<void>((resolve, reject) => {
      const onMsg = (m: { ready?: boolean }) => {
        if (m.ready) {
          child.off('message', onMsg);
          resolve();
        }
      };
      child.on('message', onMsg);
      child.once('exit', (code) => reject(new Error(`the service process exited (${code}) before it was ready; see ${logFile}`)));
    });
    const service = new ForkedService(child);
    child.on('message', (m: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
      if (m.id === undefined) return;
      const w = service.waiting.get(m.id);
      if (!w) return;
      service.waiting.delete(m.id);
      if (m.ok) w.resolve(m.result);
      else w.reject(new Error(`service process: ${m.error}`));
    });
    child.on('exit', (code, signal) => {
      service.exited = `exited (code ${code}, signal ${signal})`;
      for (const w of service.waiting.values()) w.reject(new Error(`the service process ${service.exited}; see ${logFile}`));
      service.waiting.clear();
    });
    const started = await service.call<R>('start', args);
    return { service, started };
  }

  call<T = unknown>(op: string, args?: unknown): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`the service process ${this.exited}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, args });
    });
  }

  /** Stops the service, deletes its Redis keys, and waits for the process to end. */
  async stop(): Promise<{ deleted: number }> {
    let result = { deleted: 0 };
    try {
      result = await this.call<{ deleted: number }>('stop');
    } finally {
      if (!this.exited) {
        const ended = new Promise<void>((r) => this.child.once('exit', () => r()));
        this.child.disconnect();
        await Promise.race([ended, new Promise((r) => setTimeout(r, 5_000))]);
        if (!this.exited) this.child.kill('SIGKILL');
      }
    }
    return result;
  }
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
