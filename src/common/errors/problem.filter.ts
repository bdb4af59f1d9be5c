import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemHeaders, toProblem } from './problem';
import { toDomainError } from './to-domain-error';

/** Logs what nobody expected, never what a client did wrong. */
export function logUnexpected(logger: Logger, err: unknown, domainCode: string): void {
  if (domainCode === 'INTERNAL')
    logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  else if (domainCode === 'DATABASE_UNAVAILABLE')
    logger.warn(err instanceof Error ? err.message : String(err));
}

/** Sends a problem+json answer for anything thrown while answering a REST request. */
export function sendProblem(logger: Logger, err: unknown, reply: FastifyReply): void {
  const domain = toDomainError(err);
  logUnexpected(logger, err, domain.code);
  if (reply.sent) return;
  void reply
    .status(domain.status)
    .headers({ ...problemHeaders(domain), 'cache-control': 'no-store' })
    .type('application/problem+json; charset=utf-8')
    .send(JSON.stringify(toProblem(domain)));
}

/**
 * Every REST error becomes application/problem+json through the one error table. GraphQL errors
 * pass through unchanged: Apollo's formatError codes them.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') {
      // Returned, not thrown, so graphql-js must recognise it as an error: anything that is not
      // an Error of this realm (a thrown string, a socket error from another realm) becomes one.
      if (exception instanceof Error) return exception;
      const domain = toDomainError(exception);
      logUnexpected(this.logger, exception, domain.code);
      return domain;
    }
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest | undefined>();
    if (!req) return exception;
    sendProblem(this.logger, exception, http.getResponse<FastifyReply>());
    return undefined;
  }
}
