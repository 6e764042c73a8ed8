import { BlockList, isIP } from 'node:net';

/**
 * SSRF rules for webhook URLs, pure so they are unit-tested without DNS. A webhook makes our
 * functions send requests to an address the creator chose; inside AWS that could reach the
 * instance metadata service (169.254.169.254), the VPC or the function's own loopback.
 */
export type RefusalReason = 'not_https' | 'credentials' | 'unresolvable' | 'loopback' | 'private' | 'link_local' | 'unspecified' | 'reserved';

interface Range {
  network: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
  reason: Exclude<RefusalReason, 'not_https' | 'credentials' | 'unresolvable'>;
}

const RANGES: Range[] = [
  { network: '0.0.0.0', prefix: 8, family: 'ipv4', reason: 'unspecified' },
  { network: '10.0.0.0', prefix: 8, family: 'ipv4', reason: 'private' },
  { network: '100.64.0.0', prefix: 10, family: 'ipv4', reason: 'private' },
  { network: '127.0.0.0', prefix: 8, family: 'ipv4', reason: 'loopback' },
  { network: '169.254.0.0', prefix: 16, family: 'ipv4', reason: 'link_local' },
  { network: '172.16.0.0', prefix: 12, family: 'ipv4', reason: 'private' },
  { network: '192.0.0.0', prefix: 24, family: 'ipv4', reason: 'reserved' },
  { network: '192.168.0.0', prefix: 16, family: 'ipv4', reason: 'private' },
  { network: '198.18.0.0', prefix: 15, family: 'ipv4', reason: 'reserved' },
  { network: '224.0.0.0', prefix: 4, family: 'ipv4', reason: 'reserved' },
  { network: '240.0.0.0', prefix: 4, family: 'ipv4', reason: 'reserved' },
  { network: '::', prefix: 128, family: 'ipv6', reason: 'unspecified' },
  { network: '::1', prefix: 128, family: 'ipv6', reason: 'loopback' },
  { network: '64:ff9b::', prefix: 96, family: 'ipv6', reason: 'reserved' },
  { network: 'fc00::', prefix: 7, family: 'ipv6', reason: 'private' },
  { network: 'fe80::', prefix: 10, family: 'ipv6', reason: 'link_local' },
  { network: 'fec0::', prefix: 10, family: 'ipv6', reason: 'private' },
  { network: 'ff00::', prefix: 8, family: 'ipv6', reason: 'reserved' },
];

const lists = RANGES.map((range) => {
  const list = new BlockList();
  list.addSubnet(range.network, range.prefix, range.family);
  return { list, range };
});

/** `::ffff:10.0.0.1` (IPv4-mapped) is checked as `10.0.0.1`. */
function normalize(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1], family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

/** Why an address must not be called, or undefined for a public one. */
export function classifyAddress(address: string): Range['reason'] | undefined {
  const ip = normalize(address);
  return lists.find(({ list, range }) => range.family === ip.family && list.check(ip.address, ip.family))?.range.reason;
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

/** The host of a URL as DNS and `isIP` want it (`[::1]` → `::1`). */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');
