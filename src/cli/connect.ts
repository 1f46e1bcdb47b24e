import { connectHubSpotPrivateApp } from '../../connectors/hubspot';
import { formatProblem } from '../config/config-problem';
import { checkConfigDir, DEFAULT_CONFIG_DIR } from '../config/load-config';
import { loadEnv } from '../env';
import { CrmError } from '../errors/crm-error';
import { activate } from '../runtime/active-config';
import { buildService, type Service } from '../runtime/build-service';
import { EXIT, UsageError, type CliIo } from './cli-io';
import { parseFlags } from './parse-flags';

const HELP = `Usage: lead-scorer connect hubspot --token TOKEN [--config DIR]

Installs a HubSpot portal with a private app's access token instead of OAuth: reads the portal id,
stores the installation (the token encrypted with TOKEN_ENCRYPTION_KEY), creates the lead_scoring
property group and the score properties, and queues the first full sync, which a running connector
(npm start, worker role) picks up. The token is never printed.

Create the private app in HubSpot under Settings > Integrations > Private Apps with the scopes
crm.objects.contacts.read, crm.objects.contacts.write, crm.schemas.contacts.read,
crm.schemas.contacts.write and crm.objects.owners.read. Private apps get no webhooks from the
connector's app: their contacts are kept current by polling.

Options:
  -t, --token TOKEN  the private app's access token (pat-…)
  -c, --config DIR   the config directory (default: $CONFIG_DIR, else ${DEFAULT_CONFIG_DIR})
  -h, --help         show this help

Uses REDIS_URL, HUBSPOT_API_BASE_URL and TOKEN_ENCRYPTION_KEY from the environment.
`;

export interface ConnectOptions {
  /** Redis prefix (default `ls:`, the connector's); tests use a unique one. */
  prefix?: string;
}

/** `lead-scorer connect hubspot --token TOKEN`. */
export function run(args: string[], io: CliIo): Promise<number> {
  return runConnect(args, io);
}

export async function runConnect(args: string[], io: CliIo, options: ConnectOptions = {}): Promise<number> {
  const { values, positionals } = parseFlags(
    'connect',
    args,
    {
      token: { type: 'string', short: 't' },
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const [crm, ...extra] = positionals;
  if (crm === undefined) throw new UsageError('name the CRM: lead-scorer connect hubspot --token TOKEN', 'connect');
  if (crm !== 'hubspot') throw new UsageError(`only HubSpot installs with a token ("connect hubspot"); Salesforce orgs install through /install/salesforce`, 'connect');
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`, 'connect');
  if (values.token === undefined || values.token.trim() === '') throw new UsageError('--token TOKEN is required (the private app’s access token)', 'connect');

  let env;
  try {
    env = loadEnv(io.env);
  } catch (err) {
    io.stderr.write(`lead-scorer connect: ${(err as Error).message}\n`);
    return EXIT.problems;
  }
  if (!env.TOKEN_ENCRYPTION_KEY && env.NODE_ENV !== 'test') {
    io.stderr.write('lead-scorer connect: TOKEN_ENCRYPTION_KEY is not set, so the token cannot be stored: use the key of the running connector (openssl rand -hex 32 makes one)\n');
    return EXIT.problems;
  }
  const dir = values.config ?? env.CONFIG_DIR;
  const check = await checkConfigDir(dir);
  if (!check.ok) {
    io.stderr.write(`lead-scorer connect: the config in ${dir} has problems (run "lead-scorer validate"):\n${check.problems.map((p) => `${formatProblem(p)}\n`).join('')}`);
    return EXIT.problems;
  }
  const config = activate(check.config);

  let service: Service;
  try {
    // no roles are started: the installation and the first sync job go to Redis, where the workers find them
    service = await buildService({ env, config: () => config, ...(options.prefix !== undefined ? { prefix: options.prefix } : {}) });
  } catch (err) {
    io.stderr.write(`lead-scorer connect: ${(err as Error).message}\n`);
    return EXIT.problems;
  }
  try {
    const { tenant, portalId } = await connectHubSpotPrivateApp(service.deps.ctx, values.token);
    io.stdout.write(
      [
        `Connected HubSpot portal ${portalId} (tenant ${tenant}) with a private-app token.`,
        `The score properties are in place (group "${config.mappings.hubspot.output.group ?? 'lead_scoring'}" on contacts) and the first full sync is queued;`,
        'a running connector (npm start) scores the contacts now. Private apps receive no webhooks: changes are picked up by polling.',
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  } catch (err) {
    // CrmError messages never hold a token; other messages are masked should one ever echo it
    const reason = err instanceof CrmError ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    io.stderr.write(`lead-scorer connect: the portal was not connected: ${reason.split(values.token.trim()).join('***')}\n`);
    return EXIT.problems;
  } finally {
    await service.stop();
  }
}
