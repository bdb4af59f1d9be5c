import { Logger } from '@nestjs/common';
import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { ConfigError, loadConfig, type AppConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { EmbeddedPostgres } from '../database/embedded-postgres';

/** A failure the CLI reports as one line on stderr, with exit code 1. */
export class CliError extends Error {}

/** The global options: with --url (and --key) the CLI talks to a running server over REST. */
export interface GlobalOptions {
  url?: string;
  key?: string;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/**
 * Opens the configured database the way the server does (DATABASE_URL, or the embedded PostgreSQL
 * under DATA_DIR), runs fn, and closes everything again.
 */
/** The server's settings, or a CliError naming the bad one. */
function cliConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message);
    throw err;
  }
}

export async function withDatabase<T>(
  fn: (dataSource: DataSource, config: AppConfig) => Promise<T>,
): Promise<T> {
  Logger.overrideLogger(false);
  let config = cliConfig();
  let embedded: EmbeddedPostgres | undefined;
  if (!config.databaseUrl) {
    embedded = await EmbeddedPostgres.start(config.dataDir, config.dbPoolSize);
    config = { ...config, databaseUrl: embedded.url };
  }
  config = { ...config, dbPoolSize: Math.min(config.dbPoolSize, 2) };
  const dataSource = createDataSource(config);
  try {
    try {
      await dataSource.initialize();
    } catch (err) {
      throw new CliError(`cannot reach the database: ${err instanceof Error ? err.message : String(err)}`);
    }
    return await fn(dataSource, config);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  }
}

/** Refuses to work on a database the server's migrations have not reached yet. */
export async function requireMigrated(dataSource: DataSource): Promise<void> {
  if (await dataSource.showMigrations())
    throw new CliError('the database has pending migrations: run `npm run cms -- migrate` first');
}

/** A small REST client for --url/--key; a non-2xx answer becomes a CliError with its detail. */
export async function callServer<T>(
  options: GlobalOptions,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  if (!options.url) throw new CliError('--url is required');
  if (!options.key) throw new CliError('--key is required with --url');
  let res: Response;
  try {
    res = await fetch(new URL(path, options.url), {
      method,
      headers: {
        authorization: `Bearer ${options.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(`cannot reach ${options.url}: ${cause?.code ?? cause?.message ?? String(err)}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text.slice(0, 200);
    try {
      const problem = JSON.parse(text) as { title?: string; detail?: string; errors?: { message: string }[] };
      detail = [problem.detail ?? problem.title, ...(problem.errors ?? []).map((e) => e.message)]
        .filter(Boolean)
        .join('; ');
    } catch {
      // not a problem document: keep the text
    }
    throw new CliError(`the server answered ${res.status}: ${detail}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}
