import { DatabaseHealthService } from '../../src/health/database-health.service';
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

  it('counts GraphQL operations by name and outcome', async () => {
    const ok = await t.anonymous.graphql('query MetricsSections { sections { id } }');
    expect(ok.errors).toBeUndefined();
    const bad = await t.anonymous.graphql('query MetricsBroken { noSuchField }');
    expect(bad.errors?.length).toBeGreaterThan(0);

    const res = await t.anonymous.get('/metrics');
    expect(
      sample(res.text, 'graphql_operations_total', { operation: 'MetricsSections', outcome: 'success' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(res.text, 'graphql_operations_total', { operation: 'MetricsBroken', outcome: 'error' }),
    ).toBeGreaterThanOrEqual(1);
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
