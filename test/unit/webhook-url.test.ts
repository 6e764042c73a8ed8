import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyAddress, embeddedIPv4, hostOf, IPV4_EMBEDDINGS, refuseAddress, refuseUrl } from '../../shared/domain/webhook-url';
import { checkedAddresses, RefusedUrl } from '../../shared/events/webhook-http';

const cloud = { allowPrivate: false };
const local = { allowPrivate: true };

describe('SSRF classification of addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['169.254.169.254', 'link_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['fd00:ec2::254', 'link_local'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['fd12:3456::1', 'private'],
    ['fec0::1', 'private'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.88.99.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['100::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['3fff::1', 'reserved'],
    ['2001:2::1', 'reserved'],
    ['5f00::1', 'reserved'],
    ['4000::1', 'reserved'],
    ['not-an-address', 'unresolvable'],
  ])('%s is %s', (address, reason) => {
    expect(classifyAddress(address)).toBe(reason);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '192.169.0.1',
    '100.63.255.255',
    '2606:4700:4700::1111',
    '2a00:1450::1',
    '2620:4f:8000::1',
  ])('%s is public', (address) => {
    expect(classifyAddress(address)).toBeUndefined();
  });

  // The form parsed URLs hold: Node rewrites [::ffff:169.254.169.254] into hex groups.
  it.each([
    ['::ffff:a9fe:a9fe', '169.254.169.254', 'link_local'],
    ['::ffff:7f00:1', '127.0.0.1', 'loopback'],
    ['::7f00:1', '127.0.0.1', 'loopback'],
    ['2002:7f00:1::', '127.0.0.1', 'loopback'],
    ['2002:a9fe:a9fe:1:2:3:4:5', '169.254.169.254', 'link_local'],
    ['64:ff9b::a00:1', '10.0.0.1', 'private'],
    ['64:ff9b:1:abcd::c0a8:101', '192.168.1.1', 'private'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', '127.0.0.1', 'loopback'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', '192.0.2.45', 'reserved'],
    ['::ffff:808:808', '8.8.8.8', undefined],
    ['2002:5db8:d822::1', '93.184.216.34', undefined],
    ['2001:0:4136:e378:8000:63bf:a247:27cb', '93.184.216.52', undefined],
  ])('%s carries %s: %s', (address, ipv4, reason) => {
    expect(embeddedIPv4(address)).toBe(ipv4);
    expect(classifyAddress(address)).toBe(reason);
  });

  it('treats :: and ::1 as IPv6 unspecified and loopback, not as IPv4-compatible 0.0.0.0 and 0.0.0.1', () => {
    expect(embeddedIPv4('::')).toBeUndefined();
    expect(embeddedIPv4('::1')).toBeUndefined();
    expect(embeddedIPv4('::2')).toBe('0.0.0.2');
  });

  it('the local allowance admits loopback and private addresses and http, never link-local or metadata', () => {
    expect(refuseAddress('127.0.0.1', local)).toBeUndefined();
    expect(refuseAddress('::ffff:7f00:1', local)).toBeUndefined();
    expect(refuseAddress('10.0.0.1', local)).toBeUndefined();
    expect(refuseAddress('169.254.169.254', local)).toBe('link_local');
    expect(refuseAddress('::ffff:a9fe:a9fe', local)).toBe('link_local');
    expect(refuseAddress('fd00:ec2::254', local)).toBe('link_local');
    expect(refuseAddress('224.0.0.1', local)).toBe('multicast');
    expect(refuseUrl(new URL('http://localhost:8080/x'), local)).toBeUndefined();
    expect(refuseAddress('127.0.0.1', cloud)).toBe('loopback');
    expect(refuseUrl(new URL('http://example.com/x'), cloud)).toBe('not_https');
    expect(refuseUrl(new URL('https://user:pw@example.com/x'), cloud)).toBe('credentials');
    expect(refuseUrl(new URL('https://example.com/x'), cloud)).toBeUndefined();
  });
});

describe('numeric host forms', () => {
  // WHATWG parsing of http(s) URLs turns every numeric IPv4 form into the dotted address the
  // socket connects to; the check then sees that address, and no DNS is asked.
  it.each([
    ['https://2130706433/', '127.0.0.1', 'loopback'],
    ['https://0177.0.0.1/', '127.0.0.1', 'loopback'],
    ['https://0x7f.1/', '127.0.0.1', 'loopback'],
    ['https://127.1/', '127.0.0.1', 'loopback'],
    ['https://0x7f000001/', '127.0.0.1', 'loopback'],
    ['https://127.0.0.1./', '127.0.0.1', 'loopback'],
    ['https://%31%32%37.0.0.1/', '127.0.0.1', 'loopback'],
    ['https://0xa9.0xfe.0xa9.0xfe/', '169.254.169.254', 'link_local'],
    ['https://2852039166/', '169.254.169.254', 'link_local'],
    ['https://012.1/', '10.0.0.1', 'private'],
    ['https://0/', '0.0.0.0', 'unspecified'],
    ['https://[0:0:0:0:0:ffff:127.0.0.1]/', '::ffff:7f00:1', 'loopback'],
  ])('%s is %s (%s)', async (url, host, reason) => {
    expect(hostOf(new URL(url))).toBe(host);
    const refusal = await checkedAddresses(new URL(url), cloud, () => Promise.reject(new Error('no DNS for a literal'))).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(RefusedUrl);
    expect(refusal).toMatchObject({ reason, address: host });
  });
});

type Bytes = readonly [number, number, number, number];
const byte = fc.integer({ min: 0, max: 255 });
const hextet = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
const hex = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
const hexPair = ([a, b, c, d]: Bytes) => `${hex(a, b)}:${hex(c, d)}`;

/** Every way to write an IPv6 address embedding `v4`, with random bits where the form leaves them free. */
const embeddings = (v4: Bytes) =>
  fc.oneof(
    fc
      .constantFrom(`::ffff:${hexPair(v4)}`, `::ffff:${v4.join('.')}`, `0:0:0:0:0:ffff:${hexPair(v4)}`)
      .map((text) => ['mapped', text] as const),
    fc.constantFrom(`::${hexPair(v4)}`, `::${v4.join('.')}`, `0:0:0:0:0:0:${hexPair(v4)}`).map((text) => ['compatible', text] as const),
    fc
      .tuple(hextet, hextet, hextet, hextet, hextet)
      .map(([a, b, c, d, e]) => ['6to4', `2002:${hexPair(v4)}:${a}:${b}:${c}:${d}:${e}`] as const),
    fc.constantFrom(`64:ff9b::${hexPair(v4)}`, `64:ff9b::${v4.join('.')}`).map((text) => ['nat64', text] as const),
    fc.tuple(hextet, hextet, hextet).map(([a, b, c]) => ['nat64-local', `64:ff9b:1:${a}:${b}:${c}:${hexPair(v4)}`] as const),
    fc
      .tuple(hextet, hextet, hextet, hextet)
      .map(([a, b, c, d]) => ['teredo', `2001:0:${a}:${b}:${c}:${d}:${hexPair(v4.map((x) => x ^ 0xff) as unknown as Bytes)}`] as const),
  );

/** The refused IPv4 blocks, written here independently of the classifier's table. */
const refusedIPv4: [Bytes, number, string][] = [
  [[0, 0, 0, 0], 8, 'unspecified'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'private'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link_local'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'reserved'],
  [[192, 0, 2, 0], 24, 'reserved'],
  [[192, 88, 99, 0], 24, 'reserved'],
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'reserved'],
  [[198, 51, 100, 0], 24, 'reserved'],
  [[203, 0, 113, 0], 24, 'reserved'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'],
];
const toBytes = (n: number): Bytes => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const toNumber = ([a, b, c, d]: Bytes) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
const inRefusedBlock = fc
  .tuple(fc.constantFrom(...refusedIPv4), fc.integer({ min: 0, max: 0xffffffff }))
  .map(([[network, prefix, reason], bits]) => {
    const hostMask = prefix === 0 ? 0xffffffff : 2 ** (32 - prefix) - 1;
    return { v4: toBytes((toNumber(network) | (bits & hostMask)) >>> 0), reason };
  });

/** The URL parser's own form of the address: compressed hex groups. */
const urlForm = (ipv6: string) => hostOf(new URL(`https://[${ipv6}]/`));

describe('IPv4 embedded in IPv6 (property)', () => {
  it('every embedding of an IPv4 in a refused block is refused with the same reason, in any text form', () => {
    fc.assert(
      fc.property(
        inRefusedBlock.chain(({ v4, reason }) => embeddings(v4).map((embedding) => ({ v4, reason, embedding }))),
        ({ v4, reason, embedding: [form, ipv6] }) => {
          expect(classifyAddress(v4.join('.'))).toBe(reason);
          // ::1 is IPv6 loopback, not the IPv4-compatible form of 0.0.0.1 (also refused, as unspecified).
          const expected = form === 'compatible' && v4.join('.') === '0.0.0.1' ? 'loopback' : reason;
          expect(classifyAddress(ipv6)).toBe(expected);
          expect(classifyAddress(urlForm(ipv6))).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('every embedding of a public IPv4 is public, as the IPv4 itself is', () => {
    const publicIPv4 = fc.tuple(byte, byte, byte, byte).filter((v4) => classifyAddress(v4.join('.')) === undefined);
    fc.assert(
      fc.property(
        publicIPv4.chain((v4) => embeddings(v4).map((embedding) => ({ v4, embedding }))),
        ({ v4, embedding: [, ipv6] }) => {
          expect(embeddedIPv4(urlForm(ipv6))).toBe(v4.join('.'));
          expect(classifyAddress(ipv6)).toBeUndefined();
          expect(classifyAddress(urlForm(ipv6))).toBeUndefined();
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the generators cover every embedding form the classifier decodes', () => {
    const forms = new Set(fc.sample(embeddings([127, 0, 0, 1]), 500).map(([form]) => form));
    expect([...forms].sort()).toEqual(IPV4_EMBEDDINGS.map(({ form }) => form).sort());
  });
});
