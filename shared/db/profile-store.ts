import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../core/errors';
import type { ProfileRecord } from '../domain/profile';
import type { Phase2Request } from '../schemas/profile';
import { dynamo } from './client';
import { setExpression, withoutKeys } from './expressions';
import { userUpsert } from './account-store';
import { keys } from './keys';
import { createOnce, conditionalWrite } from './put-once';

export async function getProfile(table: string, userId: string): Promise<ProfileRecord> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.profile(userId) }));
  if (!Item) throw new DomainError('PROFILE_NOT_FOUND', 'No profile yet: complete onboarding with POST /onboarding');
  return withoutKeys(Item) as unknown as ProfileRecord;
}

/**
 * Creates the profile and, if the Clerk webhook has not done it yet, the user item, in one
 * transaction: both or neither. An existing user item is kept (only missing attributes are set).
 */
export async function createProfile(table: string, profile: ProfileRecord, email: string | undefined): Promise<void> {
  const { userId, createdAt } = profile;
  try {
    await createOnce(table, [{ Update: userUpsert(table, userId, createdAt, {}, email) }], [{ ...keys.profile(userId), ...profile }]);
  } catch (error) {
    const profileExists =
      error instanceof TransactionCanceledException && error.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed';
    if (profileExists) throw new DomainError('PROFILE_EXISTS', 'This account already has a profile; update it with PATCH /profile/phase2');
    throw error;
  }
}

export async function updatePhase2(table: string, userId: string, changes: Partial<Phase2Request>, now: string): Promise<ProfileRecord> {
  const set = setExpression(changes);
  try {
    const { Attributes } = await dynamo.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.profile(userId),
        UpdateExpression: `SET ${set.clauses.join(', ')}, updatedAt = :now, version = version + :one`,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: set.names,
        ExpressionAttributeValues: { ...set.values, ':now': now, ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return withoutKeys(Attributes ?? {}) as unknown as ProfileRecord;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') {
      throw new DomainError('PROFILE_NOT_FOUND', 'No profile yet: complete onboarding with POST /onboarding');
    }
    throw error;
  }
}

/**
 * Stores the context analyzer's result on the profile, only while the profile is the one analyzed
 * (its `updatedAt` unchanged), so an analysis never passes for fresh over answers it did not see;
 * neither `updatedAt` nor `version` moves. False when the profile changed meanwhile.
 */
export async function saveAgentContext(
  table: string,
  userId: string,
  agentContext: ProfileRecord['agentContext'],
  analyzedUpdatedAt: string,
): Promise<boolean> {
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.profile(userId),
      UpdateExpression: 'SET agentContext = :context',
      ConditionExpression: 'updatedAt = :analyzed',
      ExpressionAttributeValues: { ':context': agentContext, ':analyzed': analyzedUpdatedAt },
    }),
  );
}
