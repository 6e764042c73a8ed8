import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dynamo } from '../db/client';
import { keys } from '../db/keys';
import {
  CLAIM_LEASE_SECONDS,
  idempotencyKeyOf,
  KEY_LIFETIME_SECONDS,
  requestFingerprint,
  responseForClaimedKey,
  type IdempotencyRecord,
  type StoredResponse,
} from '../domain/idempotency';
import { DomainError } from '../core/errors';
import { logger } from '../core/logger';
import { errorBody, jsonResponse, meta, RawReply, Reply, successBody } from './envelope';
import { httpRoute, type RouteRequest } from './middleware';
import { routeById, type RouteId } from './routes';

interface Claim {
  table: string;
  key: { PK: string; SK: string };
  fingerprint: string;
  expiresAt: number;
}

const epochSeconds = () => Math.floor(Date.now() / 1000);
const requestId = (event: APIGatewayProxyEventV2) => event.requestContext?.requestId ?? 'unknown';

/**
 * Claims the key with one conditional Put. A key is free when it was never used, when its 24 h
 * are over (TTL deletes items late), or when a claim for the same request outlived its lease.
 * Returns the record that holds the key when the claim fails, without a second read.
 */
async function claimKey(claim: Claim): Promise<IdempotencyRecord | undefined> {
  const now = epochSeconds();
  try {
    await dynamo.send(
      new PutCommand({
        TableName: claim.table,
        Item: {
          ...claim.key,
          fingerprint: claim.fingerprint,
          status: 'in_progress',
          lockedUntil: now + CLAIM_LEASE_SECONDS,
          expiresAt: claim.expiresAt,
        } satisfies IdempotencyRecord & Claim['key'],
        ConditionExpression:
          'attribute_not_exists(PK) OR expiresAt < :now OR (#status = :inProgress AND fingerprint = :fingerprint AND lockedUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':now': now, ':inProgress': 'in_progress', ':fingerprint': claim.fingerprint },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return undefined;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException && error.Item) return unmarshall(error.Item) as IdempotencyRecord;
    throw error;
  }
}

async function completeClaim(claim: Claim, response: StoredResponse): Promise<void> {
  const record: IdempotencyRecord = { fingerprint: claim.fingerprint, status: 'completed', expiresAt: claim.expiresAt, response };
  try {
    await dynamo.send(new PutCommand({ TableName: claim.table, Item: { ...claim.key, ...record } }));
  } catch (error) {
    // The work is done and the caller should learn its outcome; the claim's lease frees the key.
    logger.error('could not store the idempotent response', { error });
  }
}

async function releaseClaim(claim: Claim): Promise<void> {
  try {
    await dynamo.send(new DeleteCommand({ TableName: claim.table, Key: claim.key }));
  } catch (error) {
    logger.error('could not release the idempotency key', { error });
  }
}

/** The envelope the middleware would build, built here so that exactly these bytes are stored. */
function successResponse(result: unknown, defaultStatus: number, event: APIGatewayProxyEventV2): StoredResponse {
  const reply = result instanceof Reply ? result : new Reply(result);
  return jsonResponse(reply.options.status ?? defaultStatus, successBody(reply.data, meta(requestId(event))), reply.options.headers) as StoredResponse;
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
export function idempotentRoute<Id extends RouteId>(id: Id, table: string, fn: (request: RouteRequest<Id>) => Promise<unknown>) {
  const defaultStatus = routeById(id).response.status;
  return httpRoute(id, async (request) => {
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
