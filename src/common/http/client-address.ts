import proxyAddr from '@fastify/proxy-addr';
import type { IncomingMessage } from 'node:http';
import type { TrustProxy } from '../../config/config';

/** Whether the hop at `address`, `hop` steps from this server (0: the connection's peer), is a proxy to believe. */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY as one trust function, given to Fastify (its request.ip) and used by
 * clientAddress for requests Fastify does not see (the WebSocket upgrade), so every per-client
 * budget (reactions and views, bad keys) is keyed on the same address whichever way a client came.
 * Fastify's own number option would not do: it now trusts no hop at all for a count.
 */
export function proxyTrust(setting: TrustProxy): ProxyTrust | false {
  if (setting === false) return false;
  if (typeof setting === 'number') {
    const hops = setting;
    return hops > 0 ? (_address, hop) => hop < hops : false;
  }
  return proxyAddr.compile(setting);
}

/**
 * The client's address for a raw request: the connection's peer, or, through trusted proxies,
 * the nearest X-Forwarded-For entry that is not one (what Fastify's request.ip gives).
 */
export function clientAddress(req: IncomingMessage, trust: ProxyTrust | false): string {
  return trust ? proxyAddr(req, trust) : (req.socket.remoteAddress ?? '');
}
