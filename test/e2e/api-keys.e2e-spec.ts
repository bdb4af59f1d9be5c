import { HttpClient, expectProblem } from '../support/http-client';
import { startTestApp, type TestApp } from '../support/test-app';

describe('API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('an admin creates a key whose secret is shown once, lists keys without secrets, and revokes it at once', async () => {
    const created = await t.admin.post('/api/v1/api-keys', { name: 'wire importer', role: 'editor' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      name: 'wire importer',
      role: 'editor',
      key: expect.any(String),
    });

    const list = await t.admin.get('/api/v1/api-keys');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(created.body.key);
    expect(list.body.data.map((k: { id: string }) => k.id)).toContain(created.body.id);

    const client = new HttpClient(t.url, created.body.key);
    expect((await client.post('/api/v1/sections', { slug: `k-${Date.now()}`, name: 'K' })).status).toBe(201);

    expect((await t.admin.delete(`/api/v1/api-keys/${created.body.id}`)).status).toBe(204);
    expectProblem(await client.post('/api/v1/sections', { slug: `k2-${Date.now()}`, name: 'K' }), 401);
  });

  it('an unknown key is 401 even on a public route; a role outside the list is 400', async () => {
    expectProblem(
      await new HttpClient(t.url, 'dl_0000000000000000_nope-nope-nope-nope').get('/api/v1/sections'),
      401,
    );
    expectProblem(await t.admin.post('/api/v1/api-keys', { name: 'x', role: 'root' }), 400);
  });

  it('ADMIN_API_KEY makes an admin key exist at start-up', async () => {
    const secret = 'a-long-operator-chosen-secret-of-40-chars!';
    const other = await startTestApp({ adminApiKey: secret });
    try {
      const res = await new HttpClient(other.url, secret).get('/api/v1/api-keys');
      expect(res.status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
