import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { SLUG_MAX, SLUG_PATTERN } from './slug';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export { SLUG_MAX, SLUG_PATTERN };

export type IdOrSlug = { id: string } | { slug: string };

export function parseIdOrSlug(value: string, path = 'idOrSlug'): IdOrSlug {
  if (UUID_PATTERN.test(value)) return { id: value.toLowerCase() };
  if (value.length <= SLUG_MAX && SLUG_PATTERN.test(value)) return { slug: value };
  throw DomainError.validation([{ path, message: 'must be a uuid or a slug' }]);
}

/** `{idOrSlug}` path parameters: a uuid or a slug, nothing else reaches the service. */
@Injectable()
export class IdOrSlugPipe implements PipeTransform<string, IdOrSlug> {
  transform(value: string): IdOrSlug {
    return parseIdOrSlug(value);
  }
}

/** `{id}` path parameters that must be a uuid. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return parseUuid(value);
  }
}

/** A uuid argument (lower-cased), or a validation error at `path`. */
export function parseUuid(value: string, path = 'id'): string {
  if (!UUID_PATTERN.test(value)) throw DomainError.validation([{ path, message: 'must be a uuid' }]);
  return value.toLowerCase();
}
