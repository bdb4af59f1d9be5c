import { lookup as dnsLookup } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Server-side request forgery guard for webhook URLs: a webhook must not make Dateline call its
 * own network (loopback, private and link-local ranges, cloud metadata addresses). Checked when a
 * webhook is created and again on every delivery, against the addresses the name resolves to at
 * connect time, so a DNS answer that changes later (rebinding) is caught as well.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT; also Alibaba's metadata 100.100.100.200
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local; AWS, GCP and Azure metadata 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and the old IPv4-compatible form (IPv4-mapped is checked as IPv4)
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local; AWS metadata fd00:ec2::254
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address inside a NAT64 address (64:ff9b::/96), which reaches that IPv4 host. */
function nat64Target(ipv6: string): string | null {
  const canonical = new URL(`http://[${ipv6}]/`).hostname.slice(1, -1);
  if (!canonical.startsWith('64:ff9b::')) return null;
  const groups = canonical.slice('64:ff9b::'.length).split(':').filter(Boolean);
  if (groups.length > 2) return null;
  const value = groups.reduce((acc, g) => acc * 0x10000 + parseInt(g, 16), 0);
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** True for any address a webhook may not reach (and for anything that is not an address). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const v4 = nat64Target(address);
    // BlockList compares IPv4-mapped addresses (::ffff:a.b.c.d) with the IPv4 rules itself.
    return v4 ? blocked.check(v4, 'ipv4') : blocked.check(address, 'ipv6');
  }
  return true;
}

/** URL.hostname keeps the brackets of an IPv6 literal. */
function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

export function parseWebhookUrl(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}

/** Why this URL cannot be a webhook target, or null when it can. Resolves the host name. */
export async function webhookUrlProblem(raw: string, allowPrivate: boolean): Promise<string | null> {
  const url = parseWebhookUrl(raw);
  if (!url || !url.hostname) return 'must be an http or https URL';
  if (allowPrivate) return null;
  const host = bareHost(url);
  if (isIP(host))
    return isPrivateAddress(host) ? 'must not point at a private, loopback or link-local address' : null;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    return `host ${host} could not be resolved`;
  }
  if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address)))
    return 'must not resolve to a private, loopback or link-local address';
  return null;
}

/** An address literal in a delivery URL, refused before connecting (no lookup happens for it). */
export function literalAddressProblem(url: URL): string | null {
  const host = bareHost(url);
  return isIP(host) && isPrivateAddress(host) ? `${host} is a private, loopback or link-local address` : null;
}

/** A socket lookup that refuses to connect to private addresses, whatever DNS answers. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad || addresses.length === 0) {
      const refusal: NodeJS.ErrnoException = new Error(
        `${hostname} resolves to ${bad?.address ?? 'nothing'}, which webhooks may not reach`,
      );
      refusal.code = 'EPRIVATEADDRESS';
      return callback(refusal, '');
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};
