import { Injectable } from '@nestjs/common';

/** The part of a `ws` WebSocket this needs. */
interface Socket {
  close(code?: number, reason?: string): void;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * The open graphql-ws connections (subscriptions). An upgraded socket keeps the HTTP server from
 * closing, so a graceful shutdown closes them (1001 Going Away) before it waits for the server;
 * clients reconnect to another instance.
 */
@Injectable()
export class WsConnections {
  private readonly sockets = new Set<Socket>();

  add(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  get size(): number {
    return this.sockets.size;
  }

  closeAll(): void {
    for (const socket of this.sockets) socket.close(1001, 'Server shutting down');
    this.sockets.clear();
  }
}
