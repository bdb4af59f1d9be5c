import { Injectable } from '@nestjs/common';
import { MAX_WS_CONNECTIONS_PER_IP } from './limits';

/** How long a client has to answer our close before its connection is cut. */
const CLOSE_GRACE_MS = 1000;

/** The part of a `ws` WebSocket this needs. */
interface Socket {
  close(code?: number, reason?: string): void;
  terminate(): void;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * The open graphql-ws connections (subscriptions), and how many each client address holds.
 * An upgraded socket keeps the HTTP server from closing, so a graceful shutdown closes them
 * (1001 Going Away) before it waits for the server; clients reconnect to another instance.
 */
@Injectable()
export class WsConnections {
  private readonly sockets = new Set<Socket>();
  private readonly perAddress = new Map<string, number>();

  /**
   * Takes a place for one more connection from `address`, given back when `connection` (the
   * upgrading TCP socket) closes, however the upgrade ends. False when the address already
   * holds MAX_WS_CONNECTIONS_PER_IP.
   */
  reserve(address: string, connection: { once(event: 'close', listener: () => void): unknown }): boolean {
    const held = this.perAddress.get(address) ?? 0;
    if (held >= MAX_WS_CONNECTIONS_PER_IP) return false;
    this.perAddress.set(address, held + 1);
    connection.once('close', () => {
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    });
    return true;
  }

  add(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  get size(): number {
    return this.sockets.size;
  }

  /**
   * Asks every client to go (1001); a client that has not answered the close within
   * CLOSE_GRACE_MS is cut off, so one silent client cannot hold the shutdown up.
   */
  closeAll(): void {
    const closing = [...this.sockets];
    this.sockets.clear();
    for (const socket of closing) socket.close(1001, 'Server shutting down');
    setTimeout(() => closing.forEach((socket) => socket.terminate()), CLOSE_GRACE_MS).unref();
  }
}
