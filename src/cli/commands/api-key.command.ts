import type { Command } from 'commander';
import { ApiKeyRepository } from '../../api-keys/api-key.repository';
import type { ApiKey, CreatedApiKey } from '../../api-keys/api-key.model';
import { ApiKeysService } from '../../api-keys/api-keys.service';
import { AuditRepository } from '../../audit/audit.repository';
import { AuditService } from '../../audit/audit.service';
import { systemActor } from '../../common/auth/actor';
import { ROLES, type Role } from '../../common/auth/role';
import { DomainError } from '../../common/errors/domain-error';
import { CliError, callServer, globalOptions, print, requireMigrated, withDatabase } from '../cli-context';

/** `contributor, editor or admin` */
const ROLE_LIST = `${ROLES.slice(0, -1).join(', ')} or ${ROLES[ROLES.length - 1]}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Runs fn with the API keys service on the configured database. */
function withKeys<T>(fn: (keys: ApiKeysService) => Promise<T>): Promise<T> {
  return withDatabase(async (ds, config) => {
    await requireMigrated(ds);
    return fn(
      new ApiKeysService(new ApiKeyRepository(ds), new AuditService(new AuditRepository(ds), config)),
    );
  });
}

/** The audit log's name for what the command line does on the database itself. */
const CLI = systemActor('cms command line');

function printKeys(keys: ApiKey[]): void {
  if (!keys.length) return print('no API keys');
  print(['ID'.padEnd(36), 'ROLE       ', 'CREATED'.padEnd(24), 'LAST USED'.padEnd(24), 'NAME'].join('  '));
  for (const k of keys)
    print([k.id, k.role.padEnd(11), k.createdAt, (k.lastUsedAt ?? '-').padEnd(24), k.name].join('  '));
}

/** `api-key create|list|revoke`: manages API keys (admin work) on the database or over REST. */
export function registerApiKey(program: Command): void {
  const apiKey = program.command('api-key').description('create, list and revoke API keys');

  apiKey
    .command('create')
    .description('create an API key and print its secret (shown only this once)')
    .requiredOption('--name <name>', 'who or what the key is for')
    .requiredOption('--role <role>', ROLE_LIST)
    .option('--json', 'print the new key as JSON')
    .action(async (opts: { name: string; role: string; json?: boolean }, cmd: Command) => {
      if (!(ROLES as readonly string[]).includes(opts.role))
        throw new CliError(`--role must be ${ROLE_LIST}, not "${opts.role}"`);
      if (!opts.name.trim()) throw new CliError('--name must not be empty');
      const g = globalOptions(cmd);
      const created = g.url
        ? await callServer<CreatedApiKey>(g, 'POST', '/api/v1/api-keys', { name: opts.name, role: opts.role })
        : await withKeys((keys) => keys.create(opts.name, opts.role as Role, CLI));
      if (opts.json) return print(JSON.stringify(created));
      print(`Created API key ${created.id} "${created.name}" with the ${created.role} role.`);
      print('Its secret is shown only this once; store it now:');
      print();
      print(`  ${created.key}`);
      print();
    });

  apiKey
    .command('list')
    .description('list the live API keys (never their secrets)')
    .option('--json', 'print the keys as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const g = globalOptions(cmd);
      const keys = g.url
        ? (await callServer<{ data: ApiKey[] }>(g, 'GET', '/api/v1/api-keys')).data
        : await withKeys((k) => k.list());
      if (opts.json) print(JSON.stringify({ data: keys }));
      else printKeys(keys);
    });

  apiKey
    .command('revoke')
    .description('revoke an API key: it stops working at once')
    .argument('<id>', 'the key id (from api-key list)')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      if (!UUID.test(id)) throw new CliError(`No API key ${id}.`);
      const g = globalOptions(cmd);
      if (g.url) await callServer<void>(g, 'DELETE', `/api/v1/api-keys/${encodeURIComponent(id)}`);
      else
        await withKeys((keys) =>
          keys.revoke(id, CLI).catch((err: unknown) => {
            throw err instanceof DomainError ? new CliError(err.message) : err;
          }),
        );
      print(`revoked API key ${id}`);
    });
}
