import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { checkCompose } from '../support/compose-check';

/** There is no Docker engine here: these tests read the container files and check what they promise. */
const ROOT = resolve(__dirname, '../..');
const read = (file: string) => readFileSync(resolve(ROOT, file), 'utf8');

/** docker-compose.yml with one edit made to its parsed document. */
function edited(edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(read('docker-compose.yml'));
  edit(doc);
  return doc.toString();
}

describe('Containers', () => {
  const envExample = read('.env.example');

  it('docker-compose.yml runs PostgreSQL 16, Redis 7 and the API with health checks, a named volume and documented settings', () => {
    expect(checkCompose(read('docker-compose.yml'), envExample)).toEqual([]);
  });

  it('the check fails when a service, a health check, the volume or a documented setting goes', () => {
    expect(
      checkCompose(
        edited((d) => d.deleteIn(['services', 'redis'])),
        envExample,
      ),
    ).toContain('service redis is missing');
    expect(
      checkCompose(
        edited((d) => d.deleteIn(['services', 'postgres', 'healthcheck'])),
        envExample,
      ),
    ).toContain('service postgres has no health check');
    expect(
      checkCompose(
        edited((d) => d.deleteIn(['volumes'])),
        envExample,
      ),
    ).toEqual([expect.stringContaining('named volume')]);
    expect(
      checkCompose(
        edited((d) => d.setIn(['services', 'api', 'depends_on', 'postgres', 'condition'], 'service_started')),
        envExample,
      ),
    ).toEqual(['service api must depend on postgres with condition: service_healthy']);
    expect(
      checkCompose(
        edited((d) => d.setIn(['services', 'api', 'environment', 'CACHE_TTL'], '30')),
        envExample,
      ),
    ).toEqual(['setting CACHE_TTL passed to api is not in .env.example']);
    // A setting dropped from .env.example while compose still passes it.
    const withoutLogLevel = envExample.replace(/^#?\s*LOG_LEVEL=.*$/m, '');
    expect(checkCompose(read('docker-compose.yml'), withoutLogLevel)).toEqual([
      'setting LOG_LEVEL passed to api is not in .env.example',
    ]);
    expect(
      checkCompose(
        edited((d) => d.setIn(['services', 'api', 'environment', 'LOG_LEVEL'], 'loud')),
        envExample,
      ),
    ).toEqual([expect.stringContaining('Invalid setting LOG_LEVEL')]);
  });

  it('the Dockerfile builds in its own stage and runs production dependencies only, as a non-root user, with a health check', () => {
    const dockerfile = read('Dockerfile');
    const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)];
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runtime = dockerfile.slice(stages[stages.length - 1].index);
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=\S+ \/app\/dist/);
    expect(runtime).toMatch(/^USER\s+(?!root\b|0\b)\S+/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\/health\/ready/ms);
    expect(runtime).toMatch(/^EXPOSE 3000$/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.env', '.git']));
  });
});
