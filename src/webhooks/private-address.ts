import { lookup as dnsLookup } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Server-side request forgery guard for webhook URLs: a webhook must not make Dateline call its
 * own network (loopback, private and link-local ranges, cloud metadata addresses). Checked when a
 * webhook is created and again on every delivery, against the addresses the name resolves to at
 * connect time, so a DNS answer that changes later (rebinding) is caught as well.
 */
const cidrs = (list: string[]) => list.map((cidr) => ipaddr.parseCIDR(cidr));

const BLOCKED_IPV4 = cidrs([
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8',
  '100.64.0.0/10', // carrier-grade NAT; also Alibaba's metadata 100.100.100.200
  '127.0.0.0/8',
  '169.254.0.0/16', // link-local; AWS, GCP and Azure metadata 169.254.169.254
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and the broadcast address
]);

const BLOCKED_IPV6 = cidrs([
  '::/128', // unspecified
  '::1/128', // loopback
  '64:ff9b:1::/48', // local-use NAT64 (RFC 8215): a network's own translator, to its own IPv4 hosts
  '100::/64', // discard
  '2001:db8::/32', // documentation
  'fc00::/7', // unique local; AWS metadata fd00:ec2::254
  'fe80::/10', // link-local
  'fec0::/10', // old site-local
  'ff00::/8', // multicast
]);

/**
 * IPv6 forms that carry an IPv4 address and reach that IPv4 host (or are treated as it by the
 * operating system): each gives the embedded address, and the IPv4 rule decides.
 */
const EMBEDDING: { range: [ipaddr.IPv6, number]; ipv4: (parts: number[]) => number[][] }[] = [
  // IPv4-mapped ::ffff:a.b.c.d, however it is spelled (::ffff:7f00:1 is ::ffff:127.0.0.1)
  { range: ipaddr.IPv6.parseCIDR('::ffff:0:0/96'), ipv4: (p) => [[p[6], p[7]]] },
  // IPv4-translated (SIIT, RFC 6145) ::ffff:0:a.b.c.d
  { range: ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'), ipv4: (p) => [[p[6], p[7]]] },
  // the well-known NAT64 prefix (RFC 6052)
  { range: ipaddr.IPv6.parseCIDR('64:ff9b::/96'), ipv4: (p) => [[p[6], p[7]]] },
  // the old IPv4-compatible ::a.b.c.d (:: and ::1 are refused above)
  { range: ipaddr.IPv6.parseCIDR('::/96'), ipv4: (p) => [[p[6], p[7]]] },
  // 6to4 (RFC 3056): 2002:AABB:CCDD::/48 is the site behind AA.BB.CC.DD
  { range: ipaddr.IPv6.parseCIDR('2002::/16'), ipv4: (p) => [[p[1], p[2]]] },
  // Teredo (RFC 4380): the Teredo server's address, and the client's, stored inverted
  {
    range: ipaddr.IPv6.parseCIDR('2001::/32'),
    ipv4: (p) => [
      [p[2], p[3]],
      [p[6] ^ 0xffff, p[7] ^ 0xffff],
    ],
  },
];

function toIpv4([high, low]: number[]): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function isPrivateIpv4(address: ipaddr.IPv4): boolean {
  return BLOCKED_IPV4.some((range) => address.match(range));
}

function isPrivateIpv6(address: ipaddr.IPv6): boolean {
  if (BLOCKED_IPV6.some((range) => address.match(range))) return true;
  const embedding = EMBEDDING.find(({ range }) => address.match(range));
  return embedding ? embedding.ipv4(address.parts).map(toIpv4).some(isPrivateIpv4) : false;
}

/** True for any address a webhook may not reach (and for anything that is not an address). */
export function isPrivateAddress(address: string): boolean {
  if (!isIP(address)) return true;
  const parsed = ipaddr.parse(address);
  return parsed.kind() === 'ipv4'
    ? isPrivateIpv4(parsed as ipaddr.IPv4)
    : isPrivateIpv6(parsed as ipaddr.IPv6);
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
