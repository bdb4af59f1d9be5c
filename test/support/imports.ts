import type { HttpAnswer, HttpClient } from './http-client';

export const NDJSON = { 'content-type': 'application/x-ndjson' };

/** POSTs a body to /api/v1/imports with this content type and query. */
export function postImport(
  client: HttpClient,
  body: string,
  contentType: string,
  query = '',
): Promise<HttpAnswer> {
  return client.request('POST', `/api/v1/imports${query}`, body, { 'content-type': contentType });
}

export function ndjson(lines: unknown[]): string {
  return lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';
}
