import { DatabaseHealthService } from '../../src/health/database-health.service';
import { ADMIT_AFTER, MAX_OPERATION_NAMES } from '../../src/observability/operation-names';
import { HttpClient, expectProblem } from '../support/http-client';
import { startTestApp, unique, type TestApp } from '../support/test-app';

/** The value of one sample line, or undefined when the exposition has no such line. */
function sample(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries(
      [...body.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(line.split(' ').pop());
  }
  return undefined;
}

describe('Metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('/metrics shows the request histogram by route template, never the raw path', async () => {
    const slug = unique('metrics');
    expect((await t.editor.post('/api/v1/sections', { slug, name: 'Metrics' })).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await t.anonymous.get(`/api/v1/sections/${slug}`)).status).toBe(200);
    expect((await t.anonymous.get(`/api/v1/no-such-route-${slug}`)).status).toBe(404);

    const res = await t.anonymous.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.text).not.toContain(slug);
    expect(
      sample(res.text, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/sections/:idOrSlug',
        status_code: '200',
      }),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(res.text, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/sections',
        status_code: '201',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(res.text, 'http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' }),
    ).toBeGreaterThanOrEqual(1);
    // Process metrics and the pool gauges.
    expect(res.text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(sample(res.text, 'db_pool_connections_in_use', { pool: 'primary' })).toBeGreaterThanOrEqual(0);
    expect(sample(res.text, 'db_pool_connections_idle', { pool: 'primary' })).toBeGreaterThanOrEqual(0);
    expect(sample(res.text, 'db_pool_waiting_requests', { pool: 'primary' })).toBeGreaterThanOrEqual(0);
  });

  it('counts GraphQL operations by name and outcome, once a name has come back', async () => {
    for (let i = 0; i < ADMIT_AFTER + 1; i++) {
      const ok = await t.anonymous.graphql('query MetricsSections { sections { id } }');
      expect(ok.errors).toBeUndefined();
      const bad = await t.anonymous.graphql('query MetricsBroken { noSuchField }');
      expect(bad.errors?.length).toBeGreaterThan(0);
    }
    const once = await t.anonymous.graphql('query MetricsOnce { sections { id } }');
    expect(once.errors).toBeUndefined();

    const res = await t.anonymous.get('/metrics');
    expect(
      sample(res.text, 'graphql_operations_total', { operation: 'MetricsSections', outcome: 'success' }),
    ).toBe(2);
    expect(
      sample(res.text, 'graphql_operations_total', { operation: 'MetricsBroken', outcome: 'error' }),
    ).toBe(2);
    // A name seen once is counted, as `other`.
    expect(res.text).not.toContain('MetricsOnce');
    expect(
      sample(res.text, 'graphql_operations_total', { operation: 'other', outcome: 'success' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('junk operation names do not push out the names a site uses', async () => {
    const other = await startTestApp();
    try {
      const ask = async (name: string) =>
        expect((await other.anonymous.graphql(`query ${name} { __typename }`)).errors).toBeUndefined();
      const metrics = async () => (await other.anonymous.get('/metrics')).text;
      const count = (text: string, operation: string) =>
        sample(text, 'graphql_operations_total', { operation, outcome: 'success' });
      const labels = (text: string) =>
        new Set([...text.matchAll(/^graphql_operations_total\{[^}]*operation="([^"]+)"/gm)].map((m) => m[1]));

      for (let i = 0; i < 10; i++) await ask('FrontPage');
      // 200 distinct names, each once: none gets a label, and names used before or after do.
      for (let i = 0; i < 200; i++) await ask(`Junk${i}`);
      for (let i = 0; i < 5; i++) await ask('ArticlePage');
      await ask('FrontPage');
      let text = await metrics();
      expect(count(text, 'FrontPage')).toBe(10 - ADMIT_AFTER + 2);
      expect(count(text, 'ArticlePage')).toBe(5 - ADMIT_AFTER + 1);
      expect(text).not.toMatch(/Junk\d/);

      // 200 junk names sent until each has a label fill the rest of the budget, but push out
      // neither name used more than they are; a new name used more than them still gets in.
      for (let round = 0; round < ADMIT_AFTER; round++) for (let i = 0; i < 200; i++) await ask(`Junk${i}`);
      for (let i = 0; i < ADMIT_AFTER + 2; i++) await ask('SectionPage');
      await ask('FrontPage');
      await ask('ArticlePage');
      text = await metrics();
      expect(count(text, 'FrontPage')).toBe(10 - ADMIT_AFTER + 3);
      expect(count(text, 'ArticlePage')).toBe(5 - ADMIT_AFTER + 2);
      expect(count(text, 'SectionPage')).toBeGreaterThanOrEqual(1);
      // The number of series stays bounded: at most MAX_OPERATION_NAMES names, plus `other`.
      expect(labels(text).size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 1);
    } finally {
      await other.close();
    }
  });

  it('with METRICS_TOKEN, /metrics needs it as a bearer token', async () => {
    const token = `metrics-${unique()}`;
    const guarded = await startTestApp({ metricsToken: token });
    try {
      expectProblem(await guarded.anonymous.get('/metrics'), 401);
      expectProblem(await new HttpClient(guarded.url, 'wrong-token').get('/metrics'), 401);
      // An API key is not the metrics token either.
      expectProblem(await guarded.admin.get('/metrics'), 401);
      const res = await new HttpClient(guarded.url, token).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.text).toContain('http_request_duration_seconds');
    } finally {
      await guarded.close();
    }
  });

  it('readiness answers 503 once the instance is draining', async () => {
    const other = await startTestApp();
    try {
      expect((await other.anonymous.get('/health/ready')).status).toBe(200);
      other.dateline.app.get(DatabaseHealthService).startDraining();
      const res = await other.anonymous.get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'draining' });
    } finally {
      await other.close();
    }
  });
});
