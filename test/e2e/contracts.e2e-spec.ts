import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CLIENT_TYPES_FILE,
  CONTRACT_FILES,
  contractDrift,
  renderClientTypes,
  renderContracts,
  type Contracts,
} from '../../src/contracts/contracts';
import { startTestApp, type TestApp } from '../support/test-app';

const ROOT = resolve(__dirname, '../..');
const committed = (file: string): string | undefined => {
  const path = resolve(ROOT, file);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
};

/** The committed schema.gql and openapi.json are what the code generates (`npm run contracts`). */
describe('Contracts kept in the repository', () => {
  let t: TestApp;
  let current: Contracts;
  beforeAll(async () => {
    t = await startTestApp();
    current = renderContracts(t.dateline.app);
  });
  afterAll(() => t.close());

  it('schema.gql matches the GraphQL schema the code builds', () => {
    const drift = contractDrift(CONTRACT_FILES.schema, committed(CONTRACT_FILES.schema), current.schema);
    if (drift) throw new Error(drift);
  });

  it('openapi.json matches the OpenAPI document the code builds', () => {
    const drift = contractDrift(CONTRACT_FILES.openapi, committed(CONTRACT_FILES.openapi), current.openapi);
    if (drift) throw new Error(drift);
  });

  it('the client types in test/clients are what openapi-typescript makes of openapi.json', async () => {
    const drift = contractDrift(
      CLIENT_TYPES_FILE,
      committed(CLIENT_TYPES_FILE),
      await renderClientTypes(current.openapi),
    );
    if (drift) throw new Error(drift);
  });

  it('generation is deterministic: a second rendering is identical', () => {
    expect(renderContracts(t.dateline.app)).toEqual(current);
  });

  it('the check fails, naming the file and the fix, when a field is removed from either side', () => {
    // The code loses a field the committed schema has.
    const withoutSlug = current.schema.replace(/\n {2}slug: String!\n/, '\n');
    expect(withoutSlug).not.toEqual(current.schema);
    const schemaDrift = contractDrift(CONTRACT_FILES.schema, current.schema, withoutSlug);
    expect(schemaDrift).toContain('schema.gql differs');
    expect(schemaDrift).toContain('run npm run contracts');

    // The committed document has a property the code no longer has.
    const doc = JSON.parse(current.openapi) as { components: { schemas: Record<string, any> } };
    const section = doc.components.schemas.Section as { properties: Record<string, unknown> };
    expect(section.properties.slug).toBeDefined();
    delete section.properties.slug;
    const openapiDrift = contractDrift(
      CONTRACT_FILES.openapi,
      current.openapi,
      `${JSON.stringify(doc, null, 2)}\n`,
    );
    expect(openapiDrift).toContain('openapi.json differs');
    expect(openapiDrift).toContain('run npm run contracts');

    expect(contractDrift(CONTRACT_FILES.schema, undefined, current.schema)).toContain('missing');
    expect(contractDrift(CONTRACT_FILES.schema, current.schema, current.schema)).toBeNull();
  });
});
