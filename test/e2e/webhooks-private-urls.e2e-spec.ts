/**
 * Server-side request forgery (OWASP API7:2023): webhook targets in our own network, at
 * registration and at delivery.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { expectProblem } from '../support/http-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { Receiver, enqueue, newSecret } from '../support/webhook-receiver';
import { waitFor } from '../support/wait-for';

/**
 * IPv6 addresses that reach (or that the operating system treats as) a private IPv4 host, one per
 * IPv4-embedding form, several spellings of the mapped form among them.
 */
const IPV4_EMBEDDING_PRIVATE = [
  '::ffff:0:7f00:1', // IPv4-translated (SIIT) ::ffff:0:127.0.0.1
  '::ffff:0:a9fe:a9fe', // IPv4-translated metadata address
  '::ffff:7f00:1', // IPv4-mapped, hexadecimal
  '0:0:0:0:0:ffff:127.0.0.1', // IPv4-mapped, long form
  '::ffff:10.0.0.1',
  '::127.0.0.1', // IPv4-compatible
  '64:ff9b::7f00:1', // NAT64, well-known prefix
  '64:ff9b::a9fe:a9fe',
  '64:ff9b:1::a00:1', // NAT64, local-use prefix (RFC 8215)
  '64:ff9b:1:ffff::808:808', // the local-use prefix is a network's own: refused whole
  '2002:a00:1::1', // 6to4 of 10.0.0.1
  '2002:7f00:1::', // 6to4 of 127.0.0.1
  '2001:0:4136:e378:8000:63bf:f5ff:fffe', // Teredo, client 10.0.0.1 (stored inverted)
  '2001:0:a00:1::1', // Teredo, server 10.0.0.1
];

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
      // IPv6 forms that carry a private IPv4 address: the embedded address decides.
      ...IPV4_EMBEDDING_PRIVATE.map((host) => `http://[${host}]/hook`),
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
    // Public addresses are accepted (IP literals, so no DNS is needed), also inside IPv6 forms.
    for (const url of [
      'https://93.184.215.14/hook',
      'https://[::ffff:5db8:d70e]/hook',
      'https://[64:ff9b::5db8:d70e]/hook',
      'https://[2002:5db8:d70e::1]/hook',
    ]) {
      const pub = await strict.admin.post('/api/v1/webhooks', {
        url,
        events: ['article.published'],
        secret: newSecret(),
      });
      expect({ url, status: pub.status }).toEqual({ url, status: 201 });
      expect((await strict.admin.delete(`/api/v1/webhooks/${pub.body.id}`)).status).toBe(204);
    }
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
      // IPv6 literals that embed a private IPv4 address, one of each form.
      for (const host of IPV4_EMBEDDING_PRIVATE) {
        const [row]: { id: string }[] = await ds.query(
          `INSERT INTO webhooks (url, events, secret) VALUES ($1, '{article.updated}', $2) RETURNING id`,
          [`http://[${host}]:${port}/hook`, newSecret()],
        );
        rows.push(row);
      }
      const articleId = randomUUID();
      await enqueue(strict, 'article.updated', articleId);
      for (const { id } of rows) {
        const [d] = await waitFor('a refused try', async () => {
          const res = await strict.admin.get(`/api/v1/webhooks/${id}/deliveries`);
          return res.body.data[0]?.attempts >= 1 ? res.body.data : undefined;
        });
        expect({ webhook: id, ...d }).toMatchObject({
          webhook: id,
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
