import { BlockList, isIP } from 'node:net';

/**
 * SSRF rules for webhook URLs, pure so they are unit-tested without DNS. A webhook makes our
 * functions send requests to an address the creator chose; inside AWS that could reach the
 * instance metadata service (169.254.169.254), the VPC or the function's own loopback.
 */
export type AddressRefusal = 'unspecified' | 'loopback' | 'link_local' | 'private' | 'multicast' | 'reserved';
export type RefusalReason = 'not_https' | 'credentials' | 'unresolvable' | AddressRefusal;

type Subnet = readonly [network: string, prefix: number];

/**
 * The IANA special-purpose address registries (IPv4 and IPv6) and the cloud's metadata addresses.
 * Globally reachable protocol anycasts (AS112, AMT, 192.0.0.9/10, 2001:1::/48) are refused with
 * their blocks: no webhook receiver lives there. The order decides overlaps (fd00:ec2::254 inside fc00::/7).
 */
const REFUSED: Record<AddressRefusal, { ipv4: Subnet[]; ipv6: Subnet[] }> = {
  unspecified: { ipv4: [['0.0.0.0', 8]], ipv6: [['::', 128]] },
  loopback: { ipv4: [['127.0.0.0', 8]], ipv6: [['::1', 128]] },
  // 169.254.169.254 is EC2/Lambda's metadata service; fd00:ec2::254 its IPv6 address, a ULA
  // refused like its IPv4 twin, so even the local allowance never admits it.
  link_local: {
    ipv4: [['169.254.0.0', 16]],
    ipv6: [
      ['fd00:ec2::254', 128],
      ['fe80::', 10],
    ],
  },
  // RFC 1918, CGNAT shared space (RFC 6598), unique-local and the deprecated site-local.
  private: {
    ipv4: [
      ['10.0.0.0', 8],
      ['100.64.0.0', 10],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
    ],
    ipv6: [
      ['fc00::', 7],
      ['fec0::', 10],
    ],
  },
  multicast: { ipv4: [['224.0.0.0', 4]], ipv6: [['ff00::', 8]] },
  reserved: {
    ipv4: [
      ['192.0.0.0', 24], // IETF protocol assignments
      ['192.0.2.0', 24], // documentation (TEST-NET-1)
      ['192.88.99.0', 24], // deprecated 6to4 relay anycast
      ['198.18.0.0', 15], // benchmarking
      ['198.51.100.0', 24], // documentation (TEST-NET-2)
      ['203.0.113.0', 24], // documentation (TEST-NET-3)
      ['240.0.0.0', 4], // reserved, with the limited broadcast 255.255.255.255
    ],
    ipv6: [
      ['100::', 64], // discard-only
      ['2001::', 23], // IETF protocol assignments (Teredo, inside it, is decoded first)
      ['2001:db8::', 32], // documentation
      ['3fff::', 20], // documentation
    ],
  },
};

const blockListOf = (subnets: { ipv4: Subnet[]; ipv6: Subnet[] }) => {
  const list = new BlockList();
  for (const [network, prefix] of subnets.ipv4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of subnets.ipv6) list.addSubnet(network, prefix, 'ipv6');
  return list;
};

const refusedLists = Object.entries(REFUSED).map(([reason, subnets]) => ({ reason: reason as AddressRefusal, list: blockListOf(subnets) }));

/** Only 2000::/3 is allocated for global unicast; an IPv6 address outside it reaches nobody public. */
const ipv6GlobalUnicast = blockListOf({ ipv4: [], ipv6: [['2000::', 3]] });

/** The 16 bytes of an IPv6 address in any text form `isIP` accepts (compressed, trailing dotted quad). */
function ipv6Bytes(address: string): Uint8Array {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const [a, b, c, d] = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groupsOf = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const [head, tail] = text.split('::').map(groupsOf);
  const groups = tail === undefined ? head : [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  return Uint8Array.from(groups.flatMap((group) => [group >> 8, group & 0xff]));
}

const dotted = (bytes: Uint8Array) => Array.from(bytes).join('.');
const last32 = (bytes: Uint8Array) => dotted(bytes.subarray(12));

/**
 * IPv6 forms that carry an IPv4 address the packets end up at; the embedded address decides. A
 * public IPv4 embedded anywhere is as public as the IPv4 itself (a NAT64 gateway, 6to4 relay or
 * Teredo relay delivers to it), so every form of one IPv4 is classified alike.
 */
export const IPV4_EMBEDDINGS = [
  { form: 'mapped', subnet: ['::ffff:0:0', 96], ipv4: last32 },
  // `::` and `::1` are IPv6's own unspecified and loopback addresses, not IPv4-compatible ones.
  {
    form: 'compatible',
    subnet: ['::', 96],
    ipv4: (bytes: Uint8Array) => (bytes.subarray(0, 15).every((byte) => byte === 0) && bytes[15] <= 1 ? undefined : last32(bytes)),
  },
  { form: '6to4', subnet: ['2002::', 16], ipv4: (bytes: Uint8Array) => dotted(bytes.subarray(2, 6)) },
  { form: 'nat64', subnet: ['64:ff9b::', 96], ipv4: last32 },
  { form: 'nat64-local', subnet: ['64:ff9b:1::', 48], ipv4: last32 },
  // Teredo 2001:0:<server>:<flags>:<port>:<client>, the client's IPv4 stored inverted.
  { form: 'teredo', subnet: ['2001::', 32], ipv4: (bytes: Uint8Array) => dotted(bytes.subarray(12).map((byte) => byte ^ 0xff)) },
] as const satisfies readonly { form: string; subnet: Subnet; ipv4(bytes: Uint8Array): string | undefined }[];

const embeddingLists = IPV4_EMBEDDINGS.map((embedding) => ({ ...embedding, list: blockListOf({ ipv4: [], ipv6: [embedding.subnet] }) }));

/** The IPv4 address an IPv6 address carries, if it is one of the embedding forms. */
export function embeddedIPv4(address: string): string | undefined {
  const embedding = embeddingLists.find(({ list }) => list.check(address, 'ipv6'));
  return embedding?.ipv4(ipv6Bytes(address));
}

const refusalIn = (address: string, family: 'ipv4' | 'ipv6') => refusedLists.find(({ list }) => list.check(address, family))?.reason;

/**
 * Why an address must not be called, or undefined for a public one. Takes any address `isIP`
 * accepts (what DNS returns, what a parsed URL holds); anything else is `unresolvable`.
 */
export function classifyAddress(address: string): AddressRefusal | 'unresolvable' | undefined {
  const bare = address.split('%')[0]; // an IPv6 zone (fe80::1%eth0) names the interface, not the address
  const family = isIP(bare);
  if (family === 4) return refusalIn(bare, 'ipv4');
  if (family !== 6) return 'unresolvable';
  const ipv4 = embeddedIPv4(bare);
  if (ipv4) return refusalIn(ipv4, 'ipv4');
  return refusalIn(bare, 'ipv6') ?? (ipv6GlobalUnicast.check(bare, 'ipv6') ? undefined : 'reserved');
}

export interface UrlPolicy {
  /** Local development: http:// and private or loopback addresses; link-local (metadata) stays refused. */
  allowPrivate: boolean;
}

/** Checks of the URL itself, before any DNS: scheme and embedded credentials. */
export function refuseUrl(url: URL, policy: UrlPolicy): RefusalReason | undefined {
  if (url.protocol !== 'https:' && !(policy.allowPrivate && url.protocol === 'http:')) return 'not_https';
  if (url.username || url.password) return 'credentials';
  return undefined;
}

/** Checks of one resolved address under the policy. */
export function refuseAddress(address: string, policy: UrlPolicy): RefusalReason | undefined {
  const reason = classifyAddress(address);
  if (!reason) return undefined;
  if (policy.allowPrivate && (reason === 'private' || reason === 'loopback')) return undefined;
  return reason;
}

/**
 * The host of a URL as DNS and `isIP` want it (`[::1]` → `::1`). WHATWG parsing has already
 * turned every numeric IPv4 form of http(s) URLs (2130706433, 0177.0.0.1, 0x7f.1, 127.1) into
 * dotted decimal and every IPv6 literal into compressed hex, the address the socket connects to.
 */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');
