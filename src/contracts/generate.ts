import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/config';
import { CLIENT_TYPES_FILE, CONTRACT_FILES, renderClientTypes, renderContracts } from './contracts';

/**
 * `npm run contracts`: writes schema.gql and openapi.json at the top of the repository from the
 * application itself (on a throwaway in-memory database, so it needs no settings), and the client
 * types generated from openapi.json.
 */
async function main(): Promise<void> {
  const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), dataDir: 'memory://' };
  const dateline = await createApp(config);
  try {
    const contracts = renderContracts(dateline.app);
    const root = resolve(__dirname, '../..');
    writeFileSync(resolve(root, CONTRACT_FILES.schema), contracts.schema);
    writeFileSync(resolve(root, CONTRACT_FILES.openapi), contracts.openapi);
    writeFileSync(resolve(root, CLIENT_TYPES_FILE), await renderClientTypes(contracts.openapi));
    process.stdout.write(
      `wrote ${CONTRACT_FILES.schema}, ${CONTRACT_FILES.openapi} and ${CLIENT_TYPES_FILE}\n`,
    );
  } finally {
    await dateline.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`contracts: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
