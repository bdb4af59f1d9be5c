import type { INestApplication } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildOpenApiDocument } from './openapi';

/** The public contracts kept in the repository, at its top level. */
export const CONTRACT_FILES = { schema: 'schema.gql', openapi: 'openapi.json' } as const;

export interface Contracts {
  schema: string;
  openapi: string;
}

/** Every object's keys in sorted order (arrays keep theirs), so the JSON is stable. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The GraphQL schema (SDL, sorted) and the OpenAPI document (sorted keys) of an application. */
export function renderContracts(app: INestApplication): Contracts {
  const { schema } = app.get(GraphQLSchemaHost);
  return {
    schema: `${printSchema(lexicographicSortSchema(schema))}\n`,
    openapi: `${JSON.stringify(sortKeys(buildOpenApiDocument(app)), null, 2)}\n`,
  };
}

/**
 * null when the committed file matches the code; otherwise a readable message naming the file, the
 * first line that differs, and what to run.
 */
export function contractDrift(file: string, committed: string | undefined, current: string): string | null {
  if (committed === current) return null;
  if (committed === undefined) return `${file} is missing: run npm run contracts and commit it.`;
  const a = committed.split('\n');
  const b = current.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return (
    `${file} differs from what the code generates (first at line ${i + 1}):\n` +
    `  committed: ${a[i] ?? '(end of file)'}\n` +
    `  code:      ${b[i] ?? '(end of file)'}\n` +
    `run npm run contracts and commit ${file}.`
  );
}
