/**
 * The parent's side of service-process.ts: the Salesforce connector in its own process (see
 * bench/shared/forked-service.ts), with the ops the Salesforce benchmark calls.
 */
import path from 'node:path';
import type { JobRecord } from '../hubspot/service-process';
import { ForkedService, freePort } from '../shared/forked-service';
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
  private constructor(
    private readonly service: ForkedService,
    /** What the service said when it started: its URL, model, poll interval and API share. */
    readonly info: StartedService,
  ) {}

  get publicUrl(): string {
    return this.info.publicUrl;
  }

  /** Forks the service process, starts the service in it and resolves once its HTTP port listens. */
  static async start(args: Omit<ServiceStartArgs, 'port'>, logFile: string, execArgv: string[] = []): Promise<ServiceHandle> {
    const port = await freePort();
    const { service, started } = await ForkedService.start<StartedService>(path.join(__dirname, 'service-process.ts'), { ...args, port }, logFile, execArgv);
    return new ServiceHandle(service, started);
  }

  memMark(): Promise<MemStats> {
    return this.service.call('memMark');
  }
  mem(): Promise<MemStats> {
    return this.service.call('mem');
  }
  jobs(): Promise<JobRecord[]> {
    return this.service.call('jobs');
  }
  budget(orgId: string): Promise<BudgetStatus> {
    return this.service.call('budget', { orgId });
  }
  /** The tenant's next poll of every object type, now. */
  pollNow(tenant: string): Promise<{ at: number }> {
    return this.service.call('pollNow', { tenant });
  }
  /** Stops the service, deletes its Redis keys, and waits for the process to end. */
  stop(): Promise<{ deleted: number }> {
    return this.service.stop();
  }
}
