import { createServer, connect, type Server, type Socket } from 'node:net';

interface Pipe {
  client: Socket;
  upstream: Socket;
}

/**
 * A TCP relay between the app and PostgreSQL that a test can cut, slow down or reset, to play
 * network and database faults without touching the shared server.
 *
 *   const relay = await TcpRelay.start(databaseUrl);
 *   startTestApp({ databaseUrl: relay.url });
 *   relay.cut(); … relay.restore();
 */
export class TcpRelay {
  private readonly pipes = new Set<Pipe>();
  private refusing = false;
  private delayMs = 0;

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
    private readonly targetUrl: URL,
  ) {}

  /** Starts a relay on a free local port in front of the server `databaseUrl` names. */
  static async start(databaseUrl: string): Promise<TcpRelay> {
    const target = new URL(databaseUrl);
    const server = createServer();
    const relay = new TcpRelay(
      server,
      { host: target.hostname || '127.0.0.1', port: Number(target.port || 5432) },
      target,
    );
    server.on('connection', (client) => relay.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return relay;
  }

  get port(): number {
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('relay is not listening');
    return address.port;
  }

  /** The database URL, pointed at the relay instead of the server. */
  get url(): string {
    const u = new URL(this.targetUrl.toString());
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  /** How many connections are open through the relay now. */
  get openConnections(): number {
    return this.pipes.size;
  }

  /** The network is gone: every open connection is destroyed and new ones are dropped at once. */
  cut(): void {
    this.refusing = true;
    this.destroyAll();
  }

  /** Every chunk, both ways, arrives `ms` later (order kept). 0 removes the delay. */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  /** Resets every open connection once (like a server restart or a NAT timeout); new ones work. */
  resetAll(): void {
    this.destroyAll();
  }

  /** Back to normal: connections accepted, no delay. */
  restore(): void {
    this.refusing = false;
    this.delayMs = 0;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private destroyAll(): void {
    for (const p of this.pipes) {
      p.client.resetAndDestroy();
      p.upstream.destroy();
    }
    this.pipes.clear();
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    const pipe: Pipe = { client, upstream };
    this.pipes.add(pipe);
    const end = () => {
      this.pipes.delete(pipe);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    this.forward(client, upstream);
    this.forward(upstream, client);
  }

  /** Copies `from` to `to`, each chunk no earlier than the delay asks, never out of order. */
  private forward(from: Socket, to: Socket): void {
    let lastDue = 0;
    from.on('data', (chunk: Buffer) => {
      if (this.delayMs <= 0 && lastDue <= Date.now()) {
        if (!to.destroyed) to.write(chunk);
        return;
      }
      const due = Math.max(Date.now() + this.delayMs, lastDue);
      lastDue = due;
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, due - Date.now());
    });
  }
}
