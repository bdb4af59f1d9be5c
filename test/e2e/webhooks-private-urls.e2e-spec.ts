import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { expectProblem } from '../support/http-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { Receiver, enqueue, newSecret, waitFor } from '../support/webhook-receiver';

describe('Webhooks: URLs that point into our own network', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await startTestApp({ webhookAllowPrivateUrls: false });
  });
  afterAll(() => strict.close());

  it('without WEBHOOK_ALLOW_PRIVATE_URLS, loopback, private, link-local and metadata URLs are refused', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://10.1.2.3/hook',
      'http://172.16.0.9/hook',
      'http://192.168.1.1/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/hook',
      'http://0.0.0.0/hook',
      'http://[::1]/hook',
      'http://[fd00:ec2::254]/hook',
      'http://[fe80::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://2130706433/hook',
    ]) {
      const res = await strict.admin.post('/api/v1/webhooks', {
        url,
        events: ['article.published'],
        secret: newSecret(),
      });
      expectProblem(res, 400);
      expect({ url, paths: res.body.errors.map((e: { path: string }) => e.path) }).toEqual({
        url,
        paths: ['url'],
      });
    }
    // A public address is accepted (an IP literal, so no DNS is needed).
    const pub = await strict.admin.post('/api/v1/webhooks', {
      url: 'https://93.184.215.14/hook',
      events: ['article.published'],
      secret: newSecret(),
    });
    expect(pub.status).toBe(201);
    expect((await strict.admin.delete(`/api/v1/webhooks/${pub.body.id}`)).status).toBe(204);
  });

  it('a delivery to a private address is refused at sending time too, after DNS resolution', async () => {
    const r = await new Receiver().start();
    try {
      const port = new URL(r.url).port;
      // Written directly: the API would refuse these URLs (as if the setting changed after creation).
      const ds = strict.dateline.app.get(DataSource);
      const rows: { id: string }[] = await ds.query(
        `INSERT INTO webhooks (url, events, secret)
         VALUES ($1, '{article.updated}', $3), ($2, '{article.updated}', $3)
         RETURNING id`,
        [`http://127.0.0.1:${port}/hook`, `http://localhost:${port}/hook`, newSecret()],
      );
      const articleId = randomUUID();
      await enqueue(strict, 'article.updated', articleId);
      for (const { id } of rows) {
        const [d] = await waitFor('a refused try', async () => {
          const res = await strict.admin.get(`/api/v1/webhooks/${id}/deliveries`);
          return res.body.data[0]?.attempts >= 1 ? res.body.data : undefined;
        });
        expect(d).toMatchObject({
          status: 'pending',
          lastStatusCode: null,
          lastError: expect.stringMatching(/private|may not reach/),
        });
        expect((await strict.admin.delete(`/api/v1/webhooks/${id}`)).status).toBe(204);
      }
      expect(r.requests).toEqual([]);
    } finally {
      await r.close();
    }
  });
});
