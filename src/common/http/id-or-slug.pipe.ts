import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { SLUG_MAX, SLUG_PATTERN } from './slug';

const UUID_SOURCE = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
export const UUID_PATTERN = new RegExp(`^${UUID_SOURCE}$`);
export { SLUG_MAX, SLUG_PATTERN };

export type IdOrSlug = { id: string } | { slug: string };

/**
 * How the OpenAPI document describes a path parameter that a pipe reads: the document lists it on
 * every route that uses the pipe (src/contracts/openapi.ts), so clients get the same rule the pipe
 * enforces. A pipe class carries it as the static `pathParameter`.
 */
export interface PathParameterDoc {
  description: string;
  schema: { type: 'string'; format?: string; pattern?: string; maxLength?: number };
}

export function parseIdOrSlug(value: string, path = 'idOrSlug'): IdOrSlug {
  if (UUID_PATTERN.test(value)) return { id: value.toLowerCase() };
  if (value.length <= SLUG_MAX && SLUG_PATTERN.test(value)) return { slug: value };
  throw DomainError.validation([{ path, message: 'must be a uuid or a slug' }]);
}

/** `{idOrSlug}` path parameters: a uuid or a slug, nothing else reaches the service. */
@Injectable()
export class IdOrSlugPipe implements PipeTransform<string, IdOrSlug> {
  static readonly pathParameter: PathParameterDoc = {
    description: 'A uuid, or a slug (lower-case letters, digits and single hyphens, at most 200 characters).',
    // One string schema (not anyOf) so that form-based tools such as Swagger UI offer a text field.
    schema: {
      type: 'string',
      maxLength: SLUG_MAX,
      pattern: `^(?:${UUID_SOURCE}|${SLUG_PATTERN.source.slice(1, -1)})$`,
    },
  };

  transform(value: string): IdOrSlug {
    return parseIdOrSlug(value);
  }
}

/** `{id}` path parameters that must be a uuid. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  static readonly pathParameter: PathParameterDoc = {
    description: 'A uuid.',
    schema: { type: 'string', format: 'uuid', pattern: `^${UUID_SOURCE}$` },
  };

  transform(value: string): string {
    return parseUuid(value);
  }
}

/** A uuid argument (lower-cased), or a validation error at `path`. */
export function parseUuid(value: string, path = 'id'): string {
  if (!UUID_PATTERN.test(value)) throw DomainError.validation([{ path, message: 'must be a uuid' }]);
  return value.toLowerCase();
}
