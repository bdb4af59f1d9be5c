import { HttpException } from '@nestjs/common';
import { DomainError } from './domain-error';

/** PostgreSQL and driver signals that mean "the database cannot be reached right now". */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
  '57014', // query_canceled (statement_timeout)
]);
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'connect ECONNREFUSED',
  'ECONNRESET',
  'Client has encountered a connection error',
  'Connection ended',
  'Too many connections',
  // pg's client-side query_timeout: the server stopped answering altogether.
  'Query read timeout',
];

export function isDatabaseUnavailable(err: unknown): boolean {
  // Not `instanceof Error`: errors made by Node's own net module come from another realm under
  // some runners (Jest's sandbox), and a socket error is exactly what must be recognised here.
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_SQLSTATES.has(code)) return true;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT') return true;
  const driverError = (err as { driverError?: unknown }).driverError;
  if (driverError && driverError !== err && isDatabaseUnavailable(driverError)) return true;
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
}

/**
 * Turns anything thrown into a DomainError, so both transports can answer from one table.
 * Unknown errors become INTERNAL with a message that says nothing about the inside.
 */
export function toDomainError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  if (isDatabaseUnavailable(err)) {
    return new DomainError(
      'DATABASE_UNAVAILABLE',
      'The database is unavailable; try again shortly.',
      undefined,
      {
        retryAfter: 1,
      },
    );
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 404) return new DomainError('ROUTE_NOT_FOUND', err.message);
    if (status === 413) return new DomainError('PAYLOAD_TOO_LARGE', 'The request body is too large.');
    if (status === 415) return new DomainError('UNSUPPORTED_MEDIA_TYPE', err.message);
    if (status === 401) return new DomainError('UNAUTHENTICATED', err.message);
    if (status === 403) return new DomainError('FORBIDDEN', err.message);
    if (status === 429) return new DomainError('RATE_LIMITED', err.message);
    if (status === 400) return new DomainError('MALFORMED_BODY', err.message);
  }
  const fastifyCode = (err as { code?: unknown; statusCode?: unknown } | null)?.code;
  const statusCode = (err as { statusCode?: unknown } | null)?.statusCode;
  if (fastifyCode === 'FST_ERR_MAX_PARAM_LENGTH') {
    return new DomainError('URI_TOO_LONG', 'A path parameter is too long.');
  }
  if (fastifyCode === 'FST_ERR_BAD_URL') {
    return new DomainError('MALFORMED_URL', 'The URL is not valid.');
  }
  if (fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE' || statusCode === 413) {
    return new DomainError('PAYLOAD_TOO_LARGE', 'The request body is too large.');
  }
  if (fastifyCode === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || statusCode === 415) {
    return new DomainError('UNSUPPORTED_MEDIA_TYPE', 'This content type is not accepted here.');
  }
  if (
    typeof fastifyCode === 'string' &&
    (fastifyCode.startsWith('FST_ERR_CTP_') || fastifyCode === 'FST_ERR_INVALID_JSON')
  ) {
    return new DomainError('MALFORMED_BODY', 'The request body could not be parsed.');
  }
  if (err instanceof SyntaxError && statusCode === 400) {
    return new DomainError('MALFORMED_BODY', 'The request body is not valid JSON.');
  }
  return new DomainError('INTERNAL', 'An unexpected error occurred.');
}
