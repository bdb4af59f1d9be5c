import { parse } from 'yaml';
import { ConfigError, loadConfig } from '../../src/config/config';

/** The setting names .env.example documents (set, or commented out as `# NAME=`). */
export function envExampleSettings(text: string): Set<string> {
  return new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
}

/** `${NAME:-default}` and `${NAME}` as compose resolves them with NAME unset on the host. */
function withoutHostEnv(value: string): string {
  return value.replace(
    /\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g,
    (_, fallback: string | undefined) => fallback ?? '',
  );
}

function environmentOf(service: any): Record<string, string> {
  const env = service?.environment;
  if (!env) return {};
  if (Array.isArray(env))
    return Object.fromEntries(
      env.map((e: string) => {
        const eq = e.indexOf('=');
        return eq < 0 ? [e, ''] : [e.slice(0, eq), e.slice(eq + 1)];
      }),
    );
  return Object.fromEntries(
    Object.entries(env as Record<string, string | number | boolean | null>).map(([k, v]) => [
      k,
      String(v ?? ''),
    ]),
  );
}

/**
 * What docker-compose.yml must hold: PostgreSQL 16, Redis 7 and the API built from the Dockerfile,
 * each with a health check; PostgreSQL's data on a named volume; the API starting once both are
 * healthy; and every setting passed to the API documented in .env.example and accepted by the
 * API's configuration. Returns the problems found (empty when all is well).
 */
export function checkCompose(composeText: string, envExampleText: string): string[] {
  const problems: string[] = [];
  let doc: any;
  try {
    doc = parse(composeText);
  } catch (err) {
    return [`docker-compose.yml is not valid YAML: ${(err as Error).message}`];
  }
  const services = doc?.services ?? {};
  const expectations: [string, RegExp | null][] = [
    ['postgres', /^postgres:16(\b|$)/],
    ['redis', /^redis:7(\b|$)/],
    ['api', null],
  ];
  for (const [name, image] of expectations) {
    const s = services[name];
    if (!s) {
      problems.push(`service ${name} is missing`);
      continue;
    }
    if (image && !image.test(String(s.image ?? '')))
      problems.push(`service ${name} must use image ${image.source}`);
    const test = s.healthcheck?.test;
    if (!test || s.healthcheck?.disable || (Array.isArray(test) && test[0] === 'NONE'))
      problems.push(`service ${name} has no health check`);
  }

  const api = services.api;
  if (api) {
    if (!api.build) problems.push('service api must be built from the Dockerfile (build:)');
    for (const dep of ['postgres', 'redis']) {
      if (api.depends_on?.[dep]?.condition !== 'service_healthy')
        problems.push(`service api must depend on ${dep} with condition: service_healthy`);
    }
    const env = environmentOf(api);
    const documented = envExampleSettings(envExampleText);
    for (const name of Object.keys(env)) {
      if (!documented.has(name)) problems.push(`setting ${name} passed to api is not in .env.example`);
    }
    for (const required of ['DATABASE_URL', 'REDIS_URL', 'ADMIN_API_KEY', 'NODE_ENV']) {
      if (!(required in env)) problems.push(`service api does not pass ${required}`);
    }
    try {
      const config = loadConfig(
        Object.fromEntries(Object.entries(env).map(([k, v]) => [k, withoutHostEnv(v)])),
      );
      if (config.nodeEnv !== 'production') problems.push('service api must run with NODE_ENV=production');
      const db = config.databaseUrl ? new URL(config.databaseUrl).hostname : '';
      if (db !== 'postgres') problems.push('DATABASE_URL of api must point at the postgres service');
      const redis = config.redisUrl ? new URL(config.redisUrl).hostname : '';
      if (redis !== 'redis') problems.push('REDIS_URL of api must point at the redis service');
    } catch (err) {
      if (err instanceof ConfigError) problems.push(`api settings are not accepted: ${err.message}`);
      else throw err;
    }
  }

  const postgres = services.postgres;
  if (postgres) {
    const volumes: unknown[] = postgres.volumes ?? [];
    const data = volumes
      .map((v) => (typeof v === 'string' ? v.split(':') : [(v as any)?.source, (v as any)?.target]))
      .find(([, target]) => target === '/var/lib/postgresql/data');
    if (!data) problems.push('PostgreSQL data (/var/lib/postgresql/data) must be on a volume');
    else if (!(doc?.volumes && data[0] in doc.volumes))
      problems.push(`PostgreSQL data must be on a named volume declared under volumes: (got ${data[0]})`);
  }
  return problems;
}
