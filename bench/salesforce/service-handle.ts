/**
 * The parent's side of service-process.ts, as bench/hubspot/service-handle.ts is for HubSpot: forks
 * the connector into its own process (so that its memory is measured on its own) and calls its ops
 * over IPC. Its stdout and stderr (warnings: budget pauses, retries) go to a log file next to the
 * results.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { JobRecord } from '../hubspot/service-process';
import type { MemStats } from './memory-sampler';
import type { BudgetStatus, ServiceStartArgs } from './service-process';

export interface StartedService {
  pid: number;
  publicUrl: string;
  model: string;
  pollIntervalMs: number;
  maxShare?: number;
}

export class ServiceHandle {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited: string | undefined;
  private started: StartedService | undefined;

  private constructor(readonly child: ChildProcess) {}

  /** What the service said when it started: its URL, model, poll interval and API share. */
  get info(): StartedService {
    if (!this.started) throw new Error('the service has not started');
    return this.started;
  }

  get publicUrl(): string {
    return this.info.publicUrl;
  }

  /** Forks the service process, starts the service in it and resolves once its HTTP port listens. */
  static async start(args: Omit<ServiceStartArgs, 'port'>, logFile: string, execArgv: string[] = []): Promise<ServiceHandle> {
    const port = await freePort();
    mkdirSync(path.dirname(logFile), { recursive: true });
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = fork(path.join(__dirname, 'service-process.ts'), [], {
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
    const handle = new ServiceHandle(child);
    child.on('message', (m: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
      if (m.id === undefined) return;
      const w = handle.waiting.get(m.id);
      if (!w) return;
      handle.waiting.delete(m.id);
      if (m.ok) w.resolve(m.result);
      else w.reject(new Error(`service process: ${m.error}`));
    });
    child.on('exit', (code, signal) => {
      handle.exited = `exited (code ${code}, signal ${signal})`;
      for (const w of handle.waiting.values()) w.reject(new Error(`the service process ${handle.exited}; see ${logFile}`));
      handle.waiting.clear();
    });
    handle.started = await handle.call<StartedService>('start', { ...args, port });
    return handle;
  }

  call<T = unknown>(op: string, args?: unknown): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`the service process ${this.exited}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, args });
    });
  }

  memMark(): Promise<MemStats> {
    return this.call('memMark');
  }
  mem(): Promise<MemStats> {
    return this.call('mem');
  }
  jobs(): Promise<JobRecord[]> {
    return this.call('jobs');
  }
  budget(orgId: string): Promise<BudgetStatus> {
    return this.call('budget', { orgId });
  }
  /** The tenant's next poll of every object type, now. */
  pollNow(tenant: string): Promise<{ at: number }> {
    return this.call('pollNow', { tenant });
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
