import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';
import { keys } from '../../shared/db/keys';
import { periodOf } from '../../shared/domain/plans';

type DocumentMock = AwsStub<any, any, DynamoDBDocumentClient['config']>;

/**
 * Handler tests of routes that check quotas (start, regenerate): an enterprise creator with an
 * empty month and no active campaign, whose reservations succeed. `quotaCall` tells those
 * requests apart from the ones a test is about.
 */
export function allowQuotas(ddb: DocumentMock, userId = 'user-1') {
  const month = periodOf(new Date()).month;
  ddb.on(GetCommand, { Key: keys.user(userId) }).resolves({ Item: { ...keys.user(userId), tier: 'enterprise' } });
  ddb.on(GetCommand, { Key: keys.usage(userId, month) }).resolves({});
  ddb.on(GetCommand, { Key: keys.aiKey(userId) }).resolves({});
  ddb.on(QueryCommand, { IndexName: 'GSI1' }).resolves({ Count: 0 });
  ddb.on(UpdateCommand, { Key: keys.usage(userId, month) }).resolves({});
}

export const quotaCall = (call: { args: [{ input: { Key?: Record<string, unknown>; IndexName?: string } }] }) => {
  const { Key, IndexName } = call.args[0].input;
  return IndexName === 'GSI1' || Key?.SK === 'USER' || Key?.SK === keys.aiKeySk || String(Key?.SK ?? '').startsWith('USAGE#');
};
export const notQuotaCall = (call: Parameters<typeof quotaCall>[0]) => !quotaCall(call);
