import { GetCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { dynamo } from '../../shared/db/client';

/** The smallest useful handler: one GetItem behind middy. The yardstick for the bundle sizes and load times. */
export const handler = middy<{ userId?: string }>().handler(async (event) =>
  dynamo.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { PK: `USER#${event.userId}`, SK: 'PROFILE' } })),
);
