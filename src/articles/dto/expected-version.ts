import { Args, Int } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import type { WriteIntent } from '../../common/http/if-match';

/** The `expectedVersion` argument every article mutation takes beside `id`. */
export const ExpectedVersion = () =>
  Args('expectedVersion', {
    type: () => Int,
    nullable: true,
    description:
      'The version the change was made on (Article.version; a working copy has its own). When another save came first: CONFLICT with extensions.currentVersion, and nothing is stored.',
  });

/** A mutation's caller and the version it was made on. */
export function intent(actor: Actor, v: number | null | undefined): WriteIntent {
  if (v == null) return { actor };
  if (v < 1) throw DomainError.validation([{ path: 'expectedVersion', message: 'must be 1 or more' }]);
  return { actor, expectedVersion: v };
}
