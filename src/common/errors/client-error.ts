import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { DomainError } from './domain-error';
import { toProblem } from './problem';

/** What Node's HTTP parser refused, in the error vocabulary. */
function refusal(code: string | undefined): DomainError {
  if (code === 'HPE_HEADER_OVERFLOW')
    return new DomainError('HEADERS_TOO_LARGE', 'The request line and headers may be at most 16 KiB.');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return new DomainError('REQUEST_TIMEOUT', 'The request did not arrive in time.');
  return new DomainError('MALFORMED_REQUEST', 'The request is not valid HTTP.');
}

/**
 * Fastify's clientErrorHandler: answers what Node refuses before any route sees it (headers past
 * 16 KiB, so also URLs that long; a request that does not arrive within the request timeout;
 * bytes that are not HTTP) with a problem document like every other error, where Fastify's own
 * handler answers with a JSON shape of its own. The connection is closed after it, as Node does.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const problem = refusal(err.code);
    const body = JSON.stringify(toProblem(problem));
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\nConnection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(err);
}
