import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhook } from '../../shared/db/webhook-store';
import { newJobId } from '../../shared/domain/jobs';
import { assertWebhookUrl, postWebhook, RefusedUrl, type Resolve } from '../../shared/events/webhook-http';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';

/**
 * SSRF through the whole stack with the cloud's policy (WEBHOOK_ALLOW_PRIVATE_URLS=false): URLs
 * refused by POST /webhooks, and the delivery worker's real connect to addresses that reach a
 * listener on 127.0.0.1, which must see no connection.
 */
let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let listener: Server;
let port: number;
let connections = 0;

beforeAll(async () => {
  fixtures = await startFixtures({ webhookPrivateUrls: false });
  ({ stack, api } = fixtures);
  // Connection: close, so every request needs a new connection (and lookup) instead of a pooled socket.
  listener = createServer((_req, res) => res.writeHead(204, { connection: 'close' }).end());
  listener.on('connection', () => connections++);
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as AddressInfo).port;
}, 120_000);
afterAll(async () => {
  await stack?.dispose();
  await new Promise((resolve) => listener?.close(resolve));
});

const subscribe = async (url: string, userId: string) =>
  api('POST', '/webhooks', { token: await stack.token(userId), body: { url, eventTypes: ['post.due'] } });

describe('POST /webhooks with the production policy', () => {
  // [url, reason, address the check names (the URL parser's form)]
  const refused: [string, string, string?][] = [
    // IPv4-mapped, in the dotted form a creator writes and the hex form Node parses it into
    ['https://[::ffff:169.254.169.254]/latest/meta-data/', 'link_local', '::ffff:a9fe:a9fe'],
    ['https://[::ffff:a9fe:a9fe]/', 'link_local', '::ffff:a9fe:a9fe'],
    ['https://[::ffff:127.0.0.1]/hook', 'loopback', '::ffff:7f00:1'],
    ['https://[0:0:0:0:0:ffff:7f00:1]/hook', 'loopback', '::ffff:7f00:1'],
    ['https://[::ffff:10.0.0.1]/hook', 'private', '::ffff:a00:1'],
    // IPv4-compatible
    ['https://[::127.0.0.1]/hook', 'loopback', '::7f00:1'],
    ['https://[::a9fe:a9fe]/hook', 'link_local', '::a9fe:a9fe'],
    // 6to4 (bits 16–47)
    ['https://[2002:a9fe:a9fe::]/hook', 'link_local', '2002:a9fe:a9fe::'],
    ['https://[2002:7f00:1:0:1::]/hook', 'loopback', '2002:7f00:1:0:1::'],
    ['https://[2002:c0a8:101::1]/hook', 'private', '2002:c0a8:101::1'],
    // NAT64, well-known and local-use prefixes
    ['https://[64:ff9b::169.254.169.254]/hook', 'link_local', '64:ff9b::a9fe:a9fe'],
    ['https://[64:ff9b::a00:1]/hook', 'private', '64:ff9b::a00:1'],
    ['https://[64:ff9b:1::7f00:1]/hook', 'loopback', '64:ff9b:1::7f00:1'],
    // Teredo: the client's IPv4, inverted, in the last 32 bits
    ['https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook', 'loopback', '2001:0:4136:e378:8000:63bf:80ff:fffe'],
    ['https://[2001:0:4136:e378:8000:63bf:5601:5601]/hook', 'link_local', '2001:0:4136:e378:8000:63bf:5601:5601'],
    // Numeric IPv4 forms, which the URL parser turns into the address they denote
    ['https://2130706433/hook', 'loopback', '127.0.0.1'],
    ['https://0177.0.0.1/hook', 'loopback', '127.0.0.1'],
    ['https://0x7f.1/hook', 'loopback', '127.0.0.1'],
    ['https://127.1/hook', 'loopback', '127.0.0.1'],
    ['https://0xa9fea9fe/latest/meta-data/', 'link_local', '169.254.169.254'],
    ['https://012.0.0.1/hook', 'private', '10.0.0.1'],
    // Plain addresses of every refused kind
    ['https://127.0.0.1/hook', 'loopback', '127.0.0.1'],
    ['https://[::1]:8443/hook', 'loopback', '::1'],
    ['https://169.254.169.254/latest/meta-data/', 'link_local', '169.254.169.254'],
    ['https://[fd00:ec2::254]/latest/meta-data/', 'link_local', 'fd00:ec2::254'],
    ['https://[fe80::1]/hook', 'link_local', 'fe80::1'],
    ['https://10.1.2.3/hook', 'private', '10.1.2.3'],
    ['https://100.64.0.1/hook', 'private', '100.64.0.1'],
    ['https://[fd12:3456::1]/hook', 'private', 'fd12:3456::1'],
    ['https://0/hook', 'unspecified', '0.0.0.0'],
    ['https://[::]/hook', 'unspecified', '::'],
    ['https://224.0.0.251/hook', 'multicast', '224.0.0.251'],
    ['https://[ff02::1]/hook', 'multicast', 'ff02::1'],
    ['https://192.0.2.1/hook', 'reserved', '192.0.2.1'],
    ['https://198.51.100.1/hook', 'reserved', '198.51.100.1'],
    ['https://203.0.113.1/hook', 'reserved', '203.0.113.1'],
    ['https://[2001:db8::1]/hook', 'reserved', '2001:db8::1'],
    ['https://[100::1]/hook', 'reserved', '100::1'],
    ['https://255.255.255.255/hook', 'reserved', '255.255.255.255'],
    ['https://localhost/hook', 'loopback'],
    // URL rules before any address
    ['http://93.184.216.34/hook', 'not_https'],
    ['https://user:pw@93.184.216.34/hook', 'credentials'],
  ];
  // Public IPv4 embedded in IPv6 is as public as the IPv4 itself (NAT64, 6to4 and Teredo relays deliver to it).
  const accepted = [
    'https://93.184.216.34/hook',
    'https://[2606:4700:4700::1111]/hook',
    'https://134744072/hook',
    'https://[::ffff:8.8.8.8]/hook',
    'https://[2002:5db8:d822::1]/hook',
    'https://[64:ff9b::8.8.4.4]/hook',
  ];

  it('refuses every internal address in any of its forms with 422 and the reason, and accepts public literals', async () => {
    const outcomes = await Promise.all(
      refused.map(async ([url, reason, address]) => {
        const res = await subscribe(url, 'mallory');
        return { url, status: res.status, error: res.body.error, reason, address };
      }),
    );
    for (const { url, status, error, reason, address } of outcomes) {
      expect({ url, status, code: error?.code, reason: error?.details?.reason }).toEqual({
        url,
        status: 422,
        code: 'WEBHOOK_URL_REFUSED',
        reason,
      });
      if (address) expect({ url, address: error.details.address }).toEqual({ url, address });
    }
    expect((await api('GET', '/webhooks', { token: await stack.token('mallory') })).body.data).toEqual([]);

    // One creator each: the free plan holds one subscription.
    for (const [index, url] of accepted.entries()) {
      const res = await subscribe(url, `public-${index}`);
      expect({ url, status: res.status }).toEqual({ url, status: 201 });
    }
    console.log(`SSRF table: ${refused.length + accepted.length} URL forms tried (${refused.length} refused, ${accepted.length} accepted)`);
  });
});

describe('the delivery worker with the production policy', () => {
  it('connects to none of the IPv6 and numeric forms of 127.0.0.1 that a subscription stored before the check could hold', async () => {
    // The control: the mapped forms do reach the listener when a socket is simply pointed at them.
    for (const host of ['::ffff:127.0.0.1', '::ffff:7f00:1']) {
      await new Promise<void>((resolve, reject) =>
        connect({ host, port })
          .on('connect', function (this: ReturnType<typeof connect>) {
            this.end();
            resolve();
          })
          .on('error', reject),
      );
    }
    await pollUntil(
      async () => connections,
      (count) => count === 2,
      'the control connections',
    );
    connections = 0;

    const hosts = [
      '[::ffff:127.0.0.1]',
      '[::ffff:7f00:1]',
      '[::127.0.0.1]',
      '[2002:7f00:1::]',
      '[64:ff9b::7f00:1]',
      '[64:ff9b:1::7f00:1]',
      '[2001:0:4136:e378:8000:63bf:80ff:fffe]',
      '0x7f.1',
      '2130706433',
    ];
    const token = await stack.token('legacy');
    const now = new Date().toISOString();
    const webhookIds: string[] = [];
    for (const host of hosts) {
      const webhookId = newJobId();
      const url = `https://${host}:${port}/hook`;
      await createWebhook(
        stack.tableName,
        'legacy',
        {
          webhookId,
          url,
          eventTypes: ['post.due'],
          status: 'active',
          consecutiveFailures: 0,
          secret: 'whsec_legacy',
          createdAt: now,
          updatedAt: now,
        },
        100,
      );
      expect((await api('POST', `/webhooks/${webhookId}/test`, { token })).status).toBe(202);
      webhookIds.push(webhookId);
    }
    for (const [index, webhookId] of webhookIds.entries()) {
      const deliveries = await pollUntil(
        () => api('GET', `/webhooks/${webhookId}/deliveries`, { token }),
        (res) => res.body.data?.[0]?.status === 'failed',
        `the refused delivery to ${hosts[index]}`,
      );
      // Refused once, not retried: the address will not change its kind.
      expect(deliveries.body.data[0].attempts).toEqual([
        expect.objectContaining({ attempt: 1, error: expect.stringMatching(/^webhook URL refused: loopback/) }),
      ]);
    }
    await stack.asyncIdle();
    expect(connections).toBe(0);
  });
});

describe('DNS rebinding', () => {
  /** A resolver whose answer changes at each call, as a rebinding DNS server's does. */
  const rebinding = (...answers: string[][]) => {
    const calls: string[] = [];
    const resolve: Resolve = async (host) => {
      calls.push(host);
      const answer = answers[Math.min(calls.length, answers.length) - 1];
      return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    return { resolve, calls };
  };
  const send = (url: string, options: { allowPrivate: boolean; resolve: Resolve }) =>
    postWebhook(new URL(url), '{}', {}, { ...options, timeoutMs: 2000 });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  it('a name public at the subscription check and 127.0.0.1 at delivery is refused at the connect', async () => {
    const before = connections;
    for (const loopback of ['127.0.0.1', '::ffff:7f00:1']) {
      const dns = rebinding(['93.184.216.34'], [loopback]);
      const url = `https://rebind.example:${port}/hook`;
      await assertWebhookUrl(url, { allowPrivate: false }, dns.resolve);
      const error = await refusal(send(url, { allowPrivate: false, resolve: dns.resolve }));
      expect(error).toBeInstanceOf(RefusedUrl);
      expect(error).toMatchObject({ reason: 'loopback', address: loopback });
      expect(dns.calls).toHaveLength(2);
    }
    expect(connections).toBe(before);
  });

  it('an answer holding a public and an internal address is refused whole', async () => {
    const before = connections;
    const dns = rebinding(['93.184.216.34', '127.0.0.1']);
    expect(await refusal(send(`https://mixed.example:${port}/hook`, { allowPrivate: false, resolve: dns.resolve }))).toMatchObject({
      reason: 'loopback',
    });
    expect(connections).toBe(before);
  });

  it('the socket connects to the address its one lookup checked, never to a second answer', async () => {
    // Locally 127.0.0.1 is admitted and 169.254.169.254 never is: a client that checked one
    // answer and connected with another would have reached the metadata address.
    const dns = rebinding(['127.0.0.1'], ['169.254.169.254']);
    const before = connections;
    const url = `http://rebind.example:${port}/hook`;
    expect(await send(url, { allowPrivate: true, resolve: dns.resolve })).toEqual({ status: 204 });
    expect(dns.calls).toHaveLength(1);
    expect(connections).toBe(before + 1);
    expect(await refusal(send(url, { allowPrivate: true, resolve: dns.resolve }))).toMatchObject({
      reason: 'link_local',
      address: '169.254.169.254',
    });
    expect(dns.calls).toHaveLength(2);
    expect(connections).toBe(before + 1);
  });
});
