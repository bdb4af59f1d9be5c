import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { OutboxService, type OutboxEventName } from '../../src/webhooks/outbox.service';
import type { TestApp } from './test-app';

export interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: any;
  receivedAt: number;
  /** With a secret: 'verified', or why the standardwebhooks library refused the request. */
  verification?: string;
}

/** A fresh Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. */
export const newSecret = (bytes = 32) => `whsec_${randomBytes(bytes).toString('base64')}`;

/**
 * Verifies a request as a receiver would, with the reference `standardwebhooks` library (not our
 * own signing code). Throws WebhookVerificationError on a bad signature or a stale timestamp.
 */
export function verify(secret: string, raw: Buffer | string, headers: IncomingHttpHeaders): unknown {
  return new Webhook(secret).verify(raw.toString(), headers as Record<string, string>);
}

/**
 * A local webhook receiver: records every request and answers with what `respond` says. Given
 * the webhook's secret, it first verifies each request like a real receiver and answers 400 to
 * one that does not verify (recorded with the library's reason).
 */
export class Receiver {
  readonly requests: Received[] = [];
  private server!: Server;
  url = '';

  constructor(
    private respond: (req: Received, n: number) => number | Promise<number> = () => 200,
    private readonly secret?: string,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const received: Received = {
          headers: req.headers,
          raw,
          body: JSON.parse(raw.toString('utf8')),
          receivedAt: Date.now(),
        };
        if (this.secret) {
          try {
            verify(this.secret, raw, req.headers);
            received.verification = 'verified';
          } catch (err) {
            received.verification = err instanceof Error ? err.message : String(err);
          }
        }
        this.requests.push(received);
        if (received.verification !== undefined && received.verification !== 'verified') {
          res.writeHead(400, { 'content-type': 'text/plain' }).end(received.verification);
          return;
        }
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

/** An article write's event, enqueued in a real transaction as the article services do. */
export function enqueue(app: TestApp, event: OutboxEventName, articleId: string, availableAt?: Date) {
  const outbox = app.dateline.app.get(OutboxService);
  return app.dateline.app
    .get(DataSource)
    .transaction((m) => outbox.enqueue(m, event, { articleId, title: `Story ${articleId}` }, availableAt));
}
