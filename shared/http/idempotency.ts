import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { claimKey, completeClaim, releaseClaim, type Claim } from '../db/idempotency-store';
import { keys } from '../db/keys';
import {
  idempotencyKeyOf,
  KEY_LIFETIME_SECONDS,
  requestFingerprint,
  responseForClaimedKey,
  type StoredResponse,
} from '../domain/idempotency';
import { DomainError } from '../core/errors';
import { logger } from '../core/logger';
import { errorBody, jsonResponse, meta, RawReply, Reply, successBody } from './envelope';
import { httpRoute, type RouteRequest } from './middleware';
import { routeIn, type RouteDef } from './routes/route';

/** Only a route that declares the Idempotency-Key header (so the OpenAPI document lists it) may honour it. */
type IdempotentRouteId<Route> = Route extends { id: infer Id; request: { headers: readonly (infer H)[] } }
  ? 'Idempotency-Key' extends H
    ? Id
    : never
  : never;

const epochSeconds = () => Math.floor(Date.now() / 1000);
const requestId = (event: APIGatewayProxyEventV2) => event.requestContext?.requestId ?? 'unknown';

/** The envelope the middleware would build, built here so that exactly these bytes are stored. */
function successResponse(result: unknown, defaultStatus: number, event: APIGatewayProxyEventV2): StoredResponse {
  const reply = result instanceof Reply ? result : new Reply(result);
  return jsonResponse(
    reply.options.status ?? defaultStatus,
    successBody(reply.data, meta(requestId(event))),
    reply.options.headers,
  ) as StoredResponse;
}

function rejectionResponse(error: DomainError, event: APIGatewayProxyEventV2): StoredResponse {
  logger.info('request rejected', { code: error.code, reason: error.message });
  return jsonResponse(error.status, errorBody(error.code, error.message, meta(requestId(event)), error.details)) as StoredResponse;
}

const isBusinessOutcome = (error: unknown): error is DomainError => error instanceof DomainError && error.status < 500;

/**
 * `httpRoute` for a JSON route that honours the `Idempotency-Key` header, keyed per caller
 * (`USER#<uid>`, `IDEM#<key>`). Without the header the route runs as usual. With it: the first
 * request claims the key, runs, and stores its response when it is a 2xx or a 4xx business
 * outcome; a 5xx or unexpected failure releases the key so the client can try again. A later
 * request with the key gets the stored response (`Idempotent-Replayed: true`), 422 when its
 * parameters differ, or 409 while the first one still runs.
 */
export function idempotentRoute<
  const Routes extends readonly RouteDef[],
  Id extends IdempotentRouteId<Routes[number]> & Routes[number]['id'],
>(routes: Routes, id: Id, table: string, fn: (request: RouteRequest<Extract<Routes[number], { id: Id }>>) => Promise<unknown>) {
  const defaultStatus = routeIn(routes, id).response.status;
  return httpRoute(routes, id, async (request) => {
    const key = idempotencyKeyOf(request.event.headers);
    if (key === undefined) return fn(request);
    const claim: Claim = {
      table,
      key: keys.idempotency(request.userId, key),
      fingerprint: requestFingerprint(id, request.params, request.body),
      expiresAt: epochSeconds() + KEY_LIFETIME_SECONDS,
    };
    const existing = await claimKey(claim);
    if (existing) return new RawReply(responseForClaimedKey(existing, claim.fingerprint));

    let response: StoredResponse;
    try {
      response = successResponse(await fn(request), defaultStatus, request.event);
    } catch (error) {
      if (!isBusinessOutcome(error)) {
        await releaseClaim(claim);
        throw error;
      }
      response = rejectionResponse(error, request.event);
    }
    await completeClaim(claim, response);
    return new RawReply(response);
  });
}
