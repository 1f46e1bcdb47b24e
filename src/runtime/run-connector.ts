import type { Server } from 'node:http';
import type { ConnectorFactory } from '../../connectors/index';
import { ConfigStore } from '../config/config-store';
import type { LoadedConfig } from '../config/load-config';
import type { Env } from '../env';
import { childLogger } from '../logging/logger';
import type { ActiveConfig } from '../pipeline/context';
import { activate } from './active-config';
import { buildService, type Role, type Service, type ServiceOptions } from './build-service';

/** The logging the launcher needs; a winston logger fits. */
export interface RuntimeLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface ConnectorOptions {
  env: Env;
  /** The roles to run in this process. */
  roles: Role[];
  /** The config directory (default: `env.CONFIG_DIR`). */
  configDir?: string;
  /** Reload the config when its files change (default true). */
  watchConfig?: boolean;
  /** Prefix of every Redis key and queue (default `ls:`; the demo and tests use a unique one). */
  prefix?: string;
  /** The CRM connectors (default: every connector of `connectors/index.ts`). */
  connectorFactories?: Record<string, ConnectorFactory>;
  /** Tuning passed on to `buildService` (coalescing, sweep and poll intervals, host). */
  tuning?: Pick<ServiceOptions, 'coalesceMs' | 'sweepEveryMs' | 'pollIntervalMs' | 'workerConcurrency' | 'host' | 'clock'>;
  /** Default: the `runtime` child of the root logger. */
  logger?: RuntimeLogger;
}

export interface RunningConnector {
  service: Service;
  /** The HTTP server, when the web role runs. */
  server?: Server;
  /** The port the web role listens on. */
  port?: number;
  /** The config in force (the last good one). */
  config(): ActiveConfig;
  configStore: ConfigStore;
  /** Graceful stop: config watch off, HTTP server closed, in-flight jobs finished or handed back, connections closed. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the connector in this process: loads and compiles the config (a bad config throws a
 * ConfigError: a process does not start on one), keeps the last good config in force across
 * reloads, builds the service and starts the roles. Logs one startup line (roles, port, config
 * directory, model id; never a secret).
 */
export async function startConnector(opts: ConnectorOptions): Promise<RunningConnector> {
  const log = opts.logger ?? childLogger('runtime');
  const dir = opts.configDir ?? opts.env.CONFIG_DIR;
  const configStore = await ConfigStore.open({ dir, watch: opts.watchConfig ?? true, logger: log });
  let active: ActiveConfig;
  try {
    active = activate(configStore.config);
  } catch (err) {
    configStore.close();
    throw err;
  }
  configStore.onChange((config: LoadedConfig) => {
    try {
      active = activate(config);
      log.info('new scoring model in force', { model: active.model.id });
    } catch (err) {
      // validated files the engine still cannot compile: keep the model that works
      log.error('the new config cannot be compiled; the last good config stays in force', { reason: err instanceof Error ? err.message : String(err), model: active.model.id });
    }
  });

  let service: Service;
  try {
    service = await buildService({
      env: opts.env,
      config: () => active,
      ...(opts.prefix !== undefined ? { prefix: opts.prefix } : {}),
      ...(opts.connectorFactories ? { connectorFactories: opts.connectorFactories } : {}),
      ...opts.tuning,
    });
  } catch (err) {
    configStore.close();
    throw err;
  }
  let server: Server | undefined;
  try {
    server = await service.start(opts.roles);
  } catch (err) {
    configStore.close();
    await service.stop();
    throw err;
  }
  const port = server ? (server.address() as { port: number }).port : undefined;
  log.info('lead-scorer started', {
    roles: opts.roles,
    ...(port !== undefined ? { port, publicUrl: opts.env.PUBLIC_URL } : {}),
    configDir: dir,
    model: active.model.id,
    crms: service.connectors.map((c) => c.crm),
  });

  let stopping: Promise<void> | undefined;
  return {
    service,
    ...(server ? { server } : {}),
    ...(port !== undefined ? { port } : {}),
    config: () => active,
    configStore,
    stop() {
      stopping ??= (async () => {
        configStore.close();
        await service.stop();
        log.info('lead-scorer stopped', { roles: opts.roles });
      })();
      return stopping;
    },
  };
}
