import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { OutboxService, type OutboxEventName } from '../../src/webhooks/outbox.service';
import type { TestApp } from './test-app';

export interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: any;
  receivedAt: number;
}

/** A local webhook receiver: records every request and answers with what `respond` says. */
export class Receiver {
  readonly requests: Received[] = [];
  private server!: Server;
  url = '';

  constructor(private respond: (req: Received, n: number) => number | Promise<number> = () => 200) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const received = {
          headers: req.headers,
          raw,
          body: JSON.parse(raw.toString('utf8')),
          receivedAt: Date.now(),
        };
        this.requests.push(received);
        void Promise.resolve(this.respond(received, this.requests.length)).then((status) => {
          res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
        });
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  about(articleId: string): Received[] {
    return this.requests.filter((r) => r.body?.data?.articleId === articleId);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sign = (secret: string, raw: Buffer) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

/** An article write's event, enqueued in a real transaction as the article services do. */
export function enqueue(app: TestApp, event: OutboxEventName, articleId: string, availableAt?: Date) {
  const outbox = app.dateline.app.get(OutboxService);
  return app.dateline.app
    .get(DataSource)
    .transaction((m) => outbox.enqueue(m, event, { articleId, title: `Story ${articleId}` }, availableAt));
}
