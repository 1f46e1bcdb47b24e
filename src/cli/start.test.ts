import { spawn } from 'node:child_process';
import Redis from 'ioredis';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { editedTexts, shippedTexts, tempDir, writeConfigDir } from '../config/testing-fixtures';
import type { RunningConnector, RuntimeLogger } from '../runtime/run-connector';
import { testRedis } from '../../test/helpers/redis';
import { captureIo } from './cli-test-io';
import { main } from './main';
import { parseRoles, runStart } from './start';

const ROOT = path.resolve(__dirname, '../..');
const SECRET = 'hubspot-secret-never-logged';
const ADMIN = 'admin-token-never-logged';

function recordingLogger(): RuntimeLogger & { lines: { level: string; message: string; meta?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; meta?: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (message, meta) => lines.push({ level: 'info', message, ...(meta ? { meta } : {}) }),
    warn: (message, meta) => lines.push({ level: 'warn', message, ...(meta ? { meta } : {}) }),
    error: (message, meta) => lines.push({ level: 'error', message, ...(meta ? { meta } : {}) }),
  };
}

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('parseRoles', () => {
  it('defaults to every role, takes repeated and comma-separated roles, in their canonical order', () => {
    expect(parseRoles([])).toEqual(['web', 'worker', 'scheduler']);
    expect(parseRoles(['worker'])).toEqual(['worker']);
    expect(parseRoles(['scheduler', 'web'])).toEqual(['web', 'scheduler']);
    expect(parseRoles(['worker,web', 'web'])).toEqual(['web', 'worker']);
  });

  it('names an unknown role', () => {
    expect(() => parseRoles(['web,cron'])).toThrow('unknown role "cron" (roles: web, worker, scheduler)');
  });
});

describe('lead-scorer start', () => {
  let dir: string;
  let cleanupDir: () => Promise<void>;
  let redis: ReturnType<typeof testRedis>;
  beforeEach(async () => {
    ({ dir, cleanup: cleanupDir } = tempDir());
    await writeConfigDir(dir, shippedTexts());
    redis = testRedis();
  });
  afterEach(async () => {
    await cleanupDir();
    await redis.cleanup();
  });

  const baseEnv = () => ({ NODE_ENV: 'test', PORT: '0', CONFIG_DIR: dir, REDIS_URL: process.env.REDIS_URL, HUBSPOT_CLIENT_SECRET: SECRET, ADMIN_TOKEN: ADMIN });

  it('runs every role, logs one startup line, follows config changes, keeps the last good config, and stops on SIGTERM with exit 0', async () => {
    const signals = new EventEmitter();
    const logger = recordingLogger();
    let running: RunningConnector | undefined;
    const io = captureIo(baseEnv());
    const exit = runStart([], io, { signals, onStarted: (r) => (running = r), connector: { prefix: redis.prefix, logger } });

    await until('the connector to run', () => running);
    const base = `http://localhost:${running!.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    // no HubSpot app configured: the connector runs, and an install says what is missing
    const install = await fetch(`${base}/install/hubspot`, { redirect: 'manual' });
    expect(install.status).toBe(503);
    expect(await install.text()).toContain('Set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET');

    const started = logger.lines.filter((l) => l.message === 'lead-scorer started');
    expect(started).toHaveLength(1);
    expect(started[0]!.meta).toMatchObject({ roles: ['web', 'worker', 'scheduler'], port: running!.port, configDir: dir, model: 'default-2026-11' });
    expect(JSON.stringify(logger.lines)).not.toContain(SECRET);
    expect(JSON.stringify(logger.lines)).not.toContain(ADMIN);

    // an admin edits the model: it is compiled and in force, without a restart
    await writeConfigDir(dir, editedTexts({ 'scoring.yaml': ['model: default-2026-11', 'model: edited-model'] }));
    await until('the edited model', () => running!.config().model.id === 'edited-model');
    // a broken edit is refused: the problems are logged, the last good model stays
    await writeConfigDir(dir, editedTexts({ 'scoring.yaml': [['model: default-2026-11', 'model: broken-model'], ['warm: 40', 'warm: 70']] }));
    const refusal = await until('the refusal', () => logger.lines.find((l) => l.level === 'warn' && l.message.includes('config change refused')));
    expect(refusal.message).toContain('thresholds.warm: warm (70) must be below hot (60)');
    expect(running!.config().model.id).toBe('edited-model');

    signals.emit('SIGTERM');
    expect(await exit).toBe(0);
    expect(logger.lines.map((l) => l.message)).toContain('lead-scorer stopped');
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT')).toBe(0);
  });

  it('runs only the roles asked for', async () => {
    const signals = new EventEmitter();
    let running: RunningConnector | undefined;
    const exit = runStart(['--role', 'worker,scheduler'], captureIo(baseEnv()), { signals, onStarted: (r) => (running = r), connector: { prefix: redis.prefix, logger: recordingLogger() } });
    await until('the connector to run', () => running);
    expect(running!.server).toBeUndefined();
    signals.emit('SIGINT');
    expect(await exit).toBe(0);
  });

  it('does not start on a bad config: exit 1 with one line per problem', async () => {
    await writeConfigDir(dir, editedTexts({ 'scoring.yaml': ['warm: 40', 'warm: 70'] }));
    const io = captureIo(baseEnv());
    expect(await runStart([], io, { signals: new EventEmitter(), connector: { prefix: redis.prefix, logger: recordingLogger() } })).toBe(1);
    expect(io.err()).toMatch(/^lead-scorer start: the config in .+ has problems; fix them and start again:\nscoring\.yaml:\d+ thresholds\.warm: warm \(70\) must be below hot \(60\)\n$/);
  });

  it('does not start without Redis, and says where it looked (without the password)', async () => {
    const io = captureIo({ ...baseEnv(), REDIS_URL: 'redis://:hunter2@127.0.0.1:1' });
    expect(await runStart([], io, { signals: new EventEmitter(), connector: { prefix: redis.prefix, logger: recordingLogger() } })).toBe(1);
    expect(io.err()).toMatch(/^lead-scorer start: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1: .+\n$/);
    expect(io.err()).not.toContain('hunter2');
  });

  it('refuses a bad environment and a bad role', async () => {
    const env = captureIo({ ...baseEnv(), PORT: 'eighty' });
    expect(await runStart([], env, { signals: new EventEmitter() })).toBe(1);
    expect(env.err()).toContain('PORT');

    const role = captureIo(baseEnv());
    expect(await main(['start', '--role', 'cron'], role)).toBe(2);
    expect(role.err()).toBe('lead-scorer start: unknown role "cron" (roles: web, worker, scheduler)\nRun "lead-scorer start --help" for usage.\n');
  });

  it('works through the bin: `npm start -- --role web` logs one line and exits 0 on SIGTERM', async () => {
    // the bin has no prefix option: it runs on a database of its own, and the keys it made there are removed
    const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    url.pathname = '/15';
    const db = new Redis(url.toString());
    const before = new Set(await db.keys('ls:*'));
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/lead-scorer.js'), 'start', '--role', 'web'], {
      cwd: ROOT,
      env: { ...process.env, ...baseEnv(), REDIS_URL: url.toString(), LOG_LEVEL: 'info' } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const port = await until('the startup line', () => /lead-scorer started .*"port":(\d+)/.exec(output)?.[1], 20_000);
      expect((await fetch(`http://localhost:${port}/healthz`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      const made = (await db.keys('ls:*')).filter((k) => !before.has(k));
      if (made.length) await db.del(...made);
      db.disconnect();
    }
    const startLines = output.split('\n').filter((l) => l.includes('lead-scorer started'));
    expect(startLines).toHaveLength(1);
    expect(startLines[0]).toContain('"roles":["web"]');
    expect(startLines[0]).toContain(`"configDir":${JSON.stringify(dir)}`);
    expect(startLines[0]).toContain('"model":"default-2026-11"');
    expect(output).toContain('SIGTERM received: stopping');
    expect(output).not.toContain(SECRET);
    expect(output).not.toContain(ADMIN);
  }, 30_000);

  it('prints its usage with --help', async () => {
    const io = captureIo();
    expect(await main(['start', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: lead-scorer start [--role web|worker|scheduler]');
  });
});
