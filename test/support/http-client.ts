import { expectNoLeak } from './no-leak';

export interface HttpClientOptions {
  /** Check every error answer (status >= 400, GraphQL errors) for stack traces and SQL: on for production apps. */
  checkLeaks?: boolean;
}

export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface GraphqlAnswer<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

/** A small HTTP client for the tests: JSON in and out, a key when it has one. */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    readonly key?: string,
    readonly options: HttpClientOptions = {},
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.key) h.authorization = `Bearer ${this.key}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers: h, body: payload });
    const text = await res.text();
    // GraphQL answers errors with 200 too: those are checked as well.
    const isError = res.status >= 400 || (path.startsWith('/graphql') && text.includes('"errors"'));
    if (this.options.checkLeaks && isError) expectNoLeak(text, `${method} ${path} (${res.status})`);
    let parsed: unknown = text;
    // JSON and problem+json are parsed; NDJSON (several documents) stays text.
    if (/\bjson\b/.test(res.headers.get('content-type') ?? '') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  patch<T = any>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  put<T = any>(path: string, body: unknown) {
    return this.request<T>('PUT', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }

  async graphql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphqlAnswer<T>> {
    const res = await this.request('POST', '/graphql', { query, variables });
    return { status: res.status, ...(res.body as object) };
  }
}

/** Asserts the answer is a problem document with this status. */
export function expectProblem(answer: HttpAnswer, status: number): void {
  expect({ status: answer.status, type: answer.headers.get('content-type') }).toEqual({
    status,
    type: expect.stringContaining('application/problem+json'),
  });
  expect(answer.body).toMatchObject({
    status,
    title: expect.any(String),
    detail: expect.any(String),
    type: expect.any(String),
  });
}
