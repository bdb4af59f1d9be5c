import type { Command } from 'commander';
import { migrate, underStartupLock } from '../../database/startup';
import { CliError, globalOptions, print, withDatabase } from '../cli-context';

/** `migrate`: applies pending migrations under the start-up advisory lock, like the server. */
export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (under the start-up lock, like the server)')
    .action(async (_opts: unknown, cmd: Command) => {
      if (globalOptions(cmd).url)
        throw new CliError('migrate works on the database directly, not with --url');
      const applied = await withDatabase((ds) => underStartupLock(ds, () => migrate(ds)));
      for (const name of applied) print(`applied ${name}`);
      print(applied.length ? `${applied.length} migration(s) applied` : 'the database is up to date');
    });
}
