#!/usr/bin/env node
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { registerApiKey } from './commands/api-key.command';
import { registerExport } from './commands/export.command';
import { registerImport } from './commands/import.command';
import { registerMigrate } from './commands/migrate.command';
import { registerSeedDemo } from './commands/seed-demo.command';

/**
 * The editors' command line, `npm run cms -- <command>`. Each command is one file in commands/
 * exporting a register function; add it to this list.
 */
const COMMANDS: ((program: Command) => void)[] = [
  registerMigrate,
  registerApiKey,
  registerImport,
  registerExport,
  registerSeedDemo,
];

/** Exit codes: 0 success, 1 failure (one line on stderr), 2 usage error. */
export async function runCli(argv: string[]): Promise<number> {
  const program = new Command('cms')
    .description('Dateline command line: works on the configured database, or on a server with --url/--key')
    .option('--url <url>', 'talk to a running Dateline server over REST instead of the database')
    .option('--key <key>', 'the API key to send with --url')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Without --url the command uses the server's settings (DATABASE_URL, or the embedded database under
DATA_DIR; stop a server that runs on the embedded database first, or use --url).

Exit codes: 0 success, 1 failure (one line on stderr), 2 usage error.

Examples:
  npm run cms -- migrate
  npm run cms -- api-key create --name "wire importer" --role editor
  npm run cms -- import wire.ndjson --dry-run
  npm run cms -- export articles.ndjson
  npm run cms -- --url http://localhost:3000 --key "$ADMIN_KEY" api-key list`,
    );
  for (const register of COMMANDS) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version succeed; anything else commander refuses is a usage error.
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${message.split('\n')[0]}\n`);
    return 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
