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

/** GETs an export as text (the shared client would parse any *json* type as one JSON document). */
export async function getExport(
  client: HttpClient,
  query = '',
): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${client.baseUrl}/api/v1/exports/articles${query}`, {
    headers: client.key ? { authorization: `Bearer ${client.key}` } : {},
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
