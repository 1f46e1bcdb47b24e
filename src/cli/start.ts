import { ConfigError, formatProblem } from '../config/config-problem';
import { DEFAULT_CONFIG_DIR } from '../config/load-config';
import { loadEnv } from '../env';
import { ROLES, type Role } from '../runtime/build-service';
import { startConnector, type ConnectorOptions, type RunningConnector } from '../runtime/run-connector';
import { childLogger } from '../logging/logger';
import { EXIT, UsageError, type CliIo } from './cli-io';
import { parseFlags } from './parse-flags';

const HELP = `Usage: lead-scorer start [--role web|worker|scheduler]... [--config DIR]

Runs the connector. Without --role, every role runs in this process; with --role, only those
(repeat the flag or separate with commas), so that each can be scaled out against one Redis:
  web        the HTTP server: installs, OAuth callbacks, webhooks, /healthz, /readyz, /metrics, admin page
  worker     scores records and writes the scores to the CRM (the queue workers)
  scheduler  starts polling for every installation, and re-scores records when their score changes by itself

Options:
  -r, --role ROLE    a role to run (default: all three)
  -c, --config DIR   the config directory (default: $CONFIG_DIR, else ${DEFAULT_CONFIG_DIR})
  -h, --help         show this help

The environment (REDIS_URL, PORT, PUBLIC_URL, CONFIG_DIR, HUBSPOT_*, SALESFORCE_*, ADMIN_TOKEN,
TOKEN_ENCRYPTION_KEY, LOG_LEVEL) is described in the README. Config changes are picked up while
running; a config with problems is refused and the last good one stays in force.
SIGTERM or SIGINT stops it gracefully: no new requests or jobs, in-flight jobs finish or are handed back.
`;

/** Where the stop signals come from (the process, or a test). */
export interface SignalSource {
  once(signal: NodeJS.Signals, listener: () => void): unknown;
  removeListener(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface StartDeps {
  signals: SignalSource;
  /** Called on a second signal while stopping: give up waiting. Default: nothing (the stop goes on). */
  forceExit?: (code: number) => void;
  /** Called once the connector runs (tests use it to reach the service). */
  onStarted?: (running: RunningConnector) => void;
  /** Called once the connector has stopped after a signal. */
  onStopped?: () => void;
  /** Overrides for the connector (tests: a unique Redis prefix, fast intervals). */
  connector?: Partial<Omit<ConnectorOptions, 'env' | 'roles'>>;
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** `lead-scorer start`: the connector process. Resolves with the exit code once it has stopped. */
export async function run(args: string[], io: CliIo): Promise<number> {
  return runStart(args, io, {
    signals: process,
    forceExit: (c) => process.exit(c),
    // everything is closed now; should a stray handle keep the process alive, do not hang a deploy over it
    onStopped: () => setTimeout(() => process.exit(EXIT.ok), 5_000).unref(),
  });
}

/** The command with its process dependencies passed in (the tests run it in-process). */
export async function runStart(args: string[], io: CliIo, deps: StartDeps): Promise<number> {
  const { values } = parseFlags('start', args, {
    role: { type: 'string', short: 'r', multiple: true },
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const roles = parseRoles(values.role ?? []);
  let env;
  try {
    env = loadEnv(io.env);
  } catch (err) {
    io.stderr.write(`lead-scorer start: ${(err as Error).message}\n`);
    return EXIT.problems;
  }

  let running: RunningConnector;
  try {
    running = await startConnector({ env, roles, configDir: values.config ?? env.CONFIG_DIR, ...deps.connector });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`lead-scorer start: the config in ${values.config ?? env.CONFIG_DIR} has problems; fix them and start again:\n${err.problems.map((p) => `${formatProblem(p)}\n`).join('')}`);
    } else {
      io.stderr.write(`lead-scorer start: ${(err as Error).message}\n`);
    }
    return EXIT.problems;
  }
  deps.onStarted?.(running);

  const log = deps.connector?.logger ?? childLogger('runtime');
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const handlers = STOP_SIGNALS.map((sig) => {
      const handler = () => {
        for (const [s, h] of handlers) deps.signals.removeListener(s, h);
        resolve(sig);
      };
      deps.signals.once(sig, handler);
      return [sig, handler] as const;
    });
  });
  log.info(`${signal} received: stopping (send it again to exit at once)`);
  const force = () => {
    log.warn('second stop signal: exiting without waiting for in-flight work (it is handed back when its lease expires)');
    deps.forceExit?.(EXIT.problems);
  };
  for (const sig of STOP_SIGNALS) deps.signals.once(sig, force);
  try {
    await running.stop();
  } finally {
    for (const sig of STOP_SIGNALS) deps.signals.removeListener(sig, force);
  }
  deps.onStopped?.();
  return EXIT.ok;
}

/** `--role web --role worker` or `--role web,worker` → the roles, in their canonical order; none → all. */
export function parseRoles(values: readonly string[]): Role[] {
  const given = values.flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
  if (given.length === 0) return [...ROLES];
  for (const role of given) {
    if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`unknown role "${role}" (roles: ${ROLES.join(', ')})`, 'start');
  }
  return ROLES.filter((r) => given.includes(r));
}
