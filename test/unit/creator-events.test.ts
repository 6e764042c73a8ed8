import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventId, notificationText, type CreatorEvent } from '../../shared/domain/events';
import { emitCreatorEvent, emitCreatorEvents } from '../../shared/events/emit';

const ddb = mockClient(DynamoDBDocumentClient);
const bus = mockClient(EventBridgeClient);
const lambda = mockClient(LambdaClient);
const config = { TABLE_NAME: 'table', EVENT_BUS_NAME: 'bus', WEBHOOK_DELIVERY_FUNCTION_NAME: 'worker' };
const event: CreatorEvent = {
  type: 'post.due',
  userId: 'user-1',
  campaignId: '3f2a9c4e-8b1d-4e7a-9c55-2d6f0b1e7a10',
  occurredAt: '2026-12-01T17:00:00.000Z',
  data: { day: 3, platform: 'youtube', title: 'Budget in 5 minutes' },
  dedupeKey: 'post.due#CAMP#x#DAY#03#youtube#2026-12-01T17:00:00.000Z',
};
const hook = {
  PK: 'USER#user-1',
  SK: 'WEBHOOK#W1',
  webhookId: 'W1',
  url: 'https://example.com',
  eventTypes: ['post.due'],
  status: 'active',
  secret: 's',
};
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });

beforeEach(() => {
  ddb.reset();
  bus.reset();
  lambda.reset();
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(PutCommand).resolves({});
  bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
});

describe('event ids', () => {
  it('are ULIDs of the event time, the same for the same dedupe key and different otherwise', () => {
    const id = eventId(event.occurredAt, event.dedupeKey);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(eventId(event.occurredAt, event.dedupeKey)).toBe(id);
    expect(eventId(event.occurredAt, `${event.dedupeKey}x`)).not.toBe(id);
    expect(eventId('2026-12-01T17:15:00.000Z', event.dedupeKey) > id).toBe(true);
  });

  it('read like sentences for every type', () => {
    expect(notificationText('post.due', event.data)).toEqual({ title: 'Time to post on YouTube', message: 'Day 3: Budget in 5 minutes' });
    expect(notificationText('campaign.failed', { step: 'Writing', message: 'boom' }).message).toContain('(Writing): boom');
  });
});

describe('emitCreatorEvent', () => {
  it('notifies, publishes on the bus and starts one delivery per subscriber of the type', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        hook,
        { ...hook, SK: 'WEBHOOK#W2', webhookId: 'W2', eventTypes: ['campaign.completed'] },
        { ...hook, SK: 'WEBHOOK#W3', webhookId: 'W3', status: 'disabled' },
      ],
    });
    await expect(emitCreatorEvent(config, event, '2026-12-01T17:01:00.000Z')).resolves.toEqual({
      notified: 1,
      duplicates: 0,
      deliveries: 1,
    });
    const puts = ddb.commandCalls(PutCommand).map((call) => call.args[0].input.Item!);
    const id = eventId(event.occurredAt, event.dedupeKey);
    expect(puts[0]).toMatchObject({ SK: `NOTIF#${id}`, type: 'post.due', title: 'Time to post on YouTube', expiresAt: expect.any(Number) });
    expect(puts[1]).toMatchObject({ SK: expect.stringMatching(/^DELIVERY#W1#/), eventId: id, status: 'pending' });
    expect(JSON.parse(String(puts[1].payload))).toEqual({
      id,
      type: 'post.due',
      occurredAt: event.occurredAt,
      userId: 'user-1',
      campaignId: event.campaignId,
      data: event.data,
    });
    expect(JSON.parse(String(lambda.commandCalls(InvokeCommand)[0].args[0].input.Payload))).toMatchObject({
      userId: 'user-1',
      webhookId: 'W1',
    });
    const [entry] = bus.commandCalls(PutEventsCommand)[0].args[0].input.Entries!;
    expect(entry).toMatchObject({ EventBusName: 'bus', Source: 'crescendo', DetailType: 'post.due' });
  });

  it('emitted again: no second notification, bus event or delivery', async () => {
    ddb.on(QueryCommand).resolves({ Items: [hook] });
    ddb.on(PutCommand).rejects(conditionFailed());
    await expect(emitCreatorEvent(config, event)).resolves.toEqual({ notified: 0, duplicates: 1, deliveries: 0 });
    expect(bus.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('a refused bus event removes its notification and throws, so the retry publishes it', async () => {
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    await expect(emitCreatorEvent(config, event)).rejects.toThrow(/refused 1 of 1/);
    expect(ddb.commandCalls(DeleteCommand)[0].args[0].input.Key).toEqual({
      PK: 'USER#user-1',
      SK: `NOTIF#${eventId(event.occurredAt, event.dedupeKey)}`,
    });
  });

  it('publishes ten events per PutEvents and reads each creator’s subscriptions once', async () => {
    const events = Array.from({ length: 23 }, (_, i) => ({ ...event, dedupeKey: `k${i}` }));
    await emitCreatorEvents(config, events);
    expect(bus.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries!.length)).toEqual([10, 10, 3]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });
});
