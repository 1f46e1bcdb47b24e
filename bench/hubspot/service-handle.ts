/**
 * The parent's side of service-process.ts: the HubSpot connector in its own process (see
 * bench/shared/forked-service.ts), with the ops the HubSpot benchmark calls.
 */
import path from 'node:path';
import { ForkedService, freePort } from '../shared/forked-service';
import type { JobRecord, MemStats, ServiceStartArgs } from './service-process';

export class ServiceHandle {
  private constructor(
    private readonly service: ForkedService,
    readonly publicUrl: string,
  ) {}

  /** Forks the service process, starts the service in it and resolves once its HTTP port listens. */
  static async start(args: Omit<ServiceStartArgs, 'port'>, logFile: string, execArgv: string[] = []): Promise<ServiceHandle> {
    const port = await freePort();
    const { service } = await ForkedService.start(path.join(__dirname, 'service-process.ts'), { ...args, port }, logFile, execArgv);
    return new ServiceHandle(service, `http://127.0.0.1:${port}`);
  }

  install(portalId: number, tokens: { accessToken: string; refreshToken: string; expiresAt: number }): Promise<{ tenant: string; startedAt: number; syncStartedAt: number }> {
    return this.service.call('install', { portalId, ...tokens });
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
  /** Stops the service, deletes its Redis keys, and waits for the process to end. */
  stop(): Promise<{ deleted: number }> {
    return this.service.stop();
  }
}
