import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { ConfigError, formatProblem, type ConfigProblem } from './config-problem';
import { checkConfigDir, DEFAULT_CONFIG_DIR, type LoadedConfig } from './load-config';

/** The logging the store needs; a winston logger fits. */
export interface ConfigLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

export interface ConfigStoreOptions {
  /** The config directory. Default `./config` (the server passes `CONFIG_DIR`). */
  dir?: string;
  /** Reload when a file in the directory changes. Default false. */
  watch?: boolean;
  /** Wait this long after the last change before reloading (editors write in bursts). Default 250 ms. */
  debounceMs?: number;
  /** Default: the console. */
  logger?: ConfigLogger;
}

/** Called with the new config after a reload put it in force. */
export type ConfigListener = (config: LoadedConfig, previous: LoadedConfig) => void;

const consoleLogger: ConfigLogger = {
  info: (message) => console.info(message),
  warn: (message) => console.warn(message),
};

/**
 * Holds the config in force. A reload that finds problems is refused: the problems are logged and
 * returned, and the last good config stays in force. Optionally watches the directory.
 */
export class ConfigStore {
  private current: LoadedConfig;
  private loaded: Date;
  private readonly listeners = new Set<ConfigListener>();
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<ConfigProblem[]> | undefined;
  private queued: Promise<ConfigProblem[]> | undefined;

  private constructor(
    readonly dir: string,
    config: LoadedConfig,
    private readonly logger: ConfigLogger,
    private readonly debounceMs: number,
  ) {
    this.current = config;
    this.loaded = new Date();
  }

  /**
   * Loads the config and returns a store holding it.
   * @throws ConfigError when the config is invalid: a process does not start on a bad config
   */
  static async open(options: ConfigStoreOptions = {}): Promise<ConfigStore> {
    const dir = options.dir ?? DEFAULT_CONFIG_DIR;
    const check = await checkConfigDir(dir);
    if (!check.ok) throw new ConfigError(check.problems);
    const store = new ConfigStore(dir, check.config, options.logger ?? consoleLogger, options.debounceMs ?? 250);
    if (options.watch) store.startWatching();
    return store;
  }

  /** The config in force. */
  get config(): LoadedConfig {
    return this.current;
  }

  /** When the config in force was loaded. */
  get loadedAt(): Date {
    return this.loaded;
  }

  /**
   * Reads the directory again. Returns the problems (empty when the new config is now in force);
   * with problems, the config in force does not change. Reloads never overlap: a call made during
   * a reload waits for it and then reads the files again.
   */
  reload(): Promise<ConfigProblem[]> {
    // One reload at a time; a call during a reload gets a fresh one right after it (files may have changed since it read them).
    if (this.queued) return this.queued;
    if (this.reloading) {
      this.queued = this.reloading.then(() => {
        this.queued = undefined;
        return this.reload();
      });
      return this.queued;
    }
    this.reloading = this.doReload().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  /** Calls `listener` whenever a reload puts a new config in force. Returns the unsubscribe function. */
  onChange(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops watching. */
  close(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers.splice(0)) w.close();
  }

  private async doReload(): Promise<ConfigProblem[]> {
    const check = await checkConfigDir(this.dir);
    if (!check.ok) {
      this.logger.warn(
        `config change refused (${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}); the last good config stays in force:\n${check.problems.map(formatProblem).join('\n')}`,
        { dir: this.dir, problems: check.problems.length },
      );
      return check.problems;
    }
    const previous = this.current;
    this.current = check.config;
    this.loaded = new Date();
    this.logger.info('config reloaded', { dir: this.dir, model: check.config.scoring.model });
    for (const listener of this.listeners) {
      try {
        listener(check.config, previous);
      } catch (err) {
        this.logger.warn(`a config listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return [];
  }

  /** Watches the directory and `mappings/` (editors replace files by renaming, which a file watch would miss). */
  private startWatching(): void {
    for (const dir of [this.dir, path.join(this.dir, 'mappings')]) {
      try {
        const watcher = watch(dir, { persistent: false }, (_event, name) => {
          if (name === null || /\.ya?ml$/.test(String(name))) this.scheduleReload();
        });
        watcher.on('error', (err) => this.logger.warn(`config watch failed: ${err.message}`, { dir }));
        this.watchers.push(watcher);
      } catch (err) {
        this.logger.warn(`cannot watch ${dir}: ${err instanceof Error ? err.message : String(err)}`, { dir });
      }
    }
  }

  private scheduleReload(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.reload().catch((err: unknown) => this.logger.warn(`config reload failed: ${err instanceof Error ? err.message : String(err)}`, { dir: this.dir }));
    }, this.debounceMs);
    this.timer.unref();
  }
}
