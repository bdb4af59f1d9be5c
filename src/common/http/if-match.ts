import {
  applyDecorators,
  CallHandler,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { actorOf, type Actor } from '../auth/actor';
import { DomainError } from '../errors/domain-error';
import { requestOf } from './request-context';

const VERSION_TAG = /^(?:W\/)?"([1-9][0-9]{0,9})"$/;

/**
 * The version an `If-Match` header names (`"3"`, as an editor's answer gave it in its ETag), or
 * undefined when there is none or it is `*` (any version). Anything else is a 400: a write the
 * client meant to be conditional must not silently become unconditional.
 */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined || value.trim() === '' || value.trim() === '*') return undefined;
  const m = VERSION_TAG.exec(value.trim());
  const version = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(version) || version > 2 ** 31 - 1)
    throw DomainError.validation([
      { path: 'If-Match', message: 'must be one version as the ETag gave it, e.g. "3"' },
    ]);
  return version;
}

/** Who writes and, for a conditional write, the version they loaded (If-Match, expectedVersion). */
export interface WriteIntent {
  actor: Actor;
  expectedVersion?: number;
}

/**
 * A REST write's caller, as the audit log names it, and the version its `If-Match` names (see
 * parseIfMatch). Only on handlers that need a key.
 */
export const CurrentWrite = createParamDecorator((_: unknown, ctx: ExecutionContext): WriteIntent => {
  const req = requestOf(ctx);
  if (!req.principal) throw new DomainError('UNAUTHENTICATED', 'An API key is required.');
  const expectedVersion = parseIfMatch(req.headers['if-match']);
  return { actor: actorOf(req.principal, String(req.id)), expectedVersion };
});

/** An editor's answer for something versioned carries `ETag: "<version>"`. */
@Injectable()
export class VersionEtagInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = requestOf(ctx);
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | null)?.version;
        if (req.principal && typeof version === 'number') void reply.header('etag', `"${version}"`);
        return body;
      }),
    );
  }
}

/** Editors' answers carry the version as their ETag. */
export const VersionEtag = () => UseInterceptors(VersionEtagInterceptor);

/** A write that honours `If-Match` (412 with `currentVersion` when it is stale). */
export const ConditionalWrite = () =>
  applyDecorators(
    VersionEtag(),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description:
        'The version the change was made on, as the ETag of an editor\'s answer gave it (`"3"`). When another save came first: 412 with `currentVersion`, and nothing is stored. Without it the write is unconditional.',
    }),
  );
