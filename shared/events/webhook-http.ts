import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { hostOf, refuseAddress, refuseUrl, type RefusalReason, type UrlPolicy } from '../domain/webhook-url';
import { DomainError } from '../core/errors';

/**
 * Outgoing webhook requests that cannot be pointed at internal addresses. The URL is checked when
 * the subscription is created (a clear 422) and again at every delivery, where the check happens
 * inside the socket's own DNS lookup: the address that passed is the address connected to, so a
 * name that resolves to a public address at the check and to 169.254.169.254 a moment later (DNS
 * rebinding) gains nothing.
 */
export class RefusedUrl extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly address?: string,
  ) {
    super(`webhook URL refused: ${reason}${address ? ` (${address})` : ''}`);
    this.name = 'RefusedUrl';
  }
}

/** Every address of a host name; the system resolver unless a test injects its own (DNS rebinding). */
export type Resolve = (host: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

/** Resolves the URL's host; every address must pass (an attacker controls which one a client picks). */
export async function checkedAddresses(url: URL, policy: UrlPolicy, resolve: Resolve = systemResolve): Promise<LookupAddress[]> {
  const urlRefusal = refuseUrl(url, policy);
  if (urlRefusal) throw new RefusedUrl(urlRefusal);
  const host = hostOf(url);
  let addresses: LookupAddress[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
  } catch {
    throw new RefusedUrl('unresolvable');
  }
  if (addresses.length === 0) throw new RefusedUrl('unresolvable');
  for (const { address } of addresses) {
    const reason = refuseAddress(address, policy);
    if (reason) throw new RefusedUrl(reason, address);
  }
  return addresses;
}

/** The 422 a creator sees for a refused URL. */
export async function assertWebhookUrl(url: string, policy: UrlPolicy, resolve?: Resolve): Promise<void> {
  try {
    await checkedAddresses(new URL(url), policy, resolve);
  } catch (error) {
    if (!(error instanceof RefusedUrl)) throw error;
    throw new DomainError('WEBHOOK_URL_REFUSED', `Webhook URLs must be HTTPS and resolve to public addresses (${error.reason})`, {
      reason: error.reason,
      ...(error.address && { address: error.address }),
    });
  }
}

export interface WebhookResponse {
  status: number;
}

/** POSTs `body`; resolves with the status, rejects on refusal, timeout or connection error. The response body is discarded. */
export async function postWebhook(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: UrlPolicy & { timeoutMs: number; resolve?: Resolve },
): Promise<WebhookResponse> {
  // Sockets skip the lookup for an IP literal, so its check happens here (a literal cannot rebind).
  if (isIP(hostOf(url))) await checkedAddresses(url, options);
  // The socket connects to exactly the addresses this lookup checked: one resolution per connection.
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    checkedAddresses(url, options, options.resolve).then(
      (addresses) => {
        if (lookupOptions.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, ''),
    );
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Crescendo-Webhooks/1',
        },
        lookup,
        timeout: options.timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no response within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
