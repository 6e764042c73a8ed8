import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Platform } from '../schemas/common';
import type { HookStyle } from '../schemas/vocabulary';
import { conditionalWrite } from './put-once';
import { keys } from './keys';

export interface HookStyleSwitch {
  day: number;
  platform: Platform;
  /** The version read: any edit, approval or regeneration since then leaves the item alone. */
  version: number;
  from: HookStyle;
  to: HookStyle;
  post: string;
  script?: { hook: string; body: string; cta: string };
  why: string;
}

/**
 * A slot's hook style switched and its opening replaced, with the change appended to
 * `styleChanges`; conditional on the version read, on no posting status (planned only: not due,
 * publishing, posted or skipped) and on the approval still pending. False when the condition failed.
 */
export async function switchHookStyle(table: string, userId: string, campaignId: string, change: HookStyleSwitch, now: string) {
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.content(userId, campaignId, change.day, change.platform),
      UpdateExpression:
        'SET hookStyle = :to, post = :post, ' +
        (change.script ? 'script = :script, ' : '') +
        'styleChanges = list_append(if_not_exists(styleChanges, :none), :change), version = :next, updatedAt = :now',
      ConditionExpression:
        'attribute_exists(PK) AND version = :read AND hookStyle = :from AND attribute_not_exists(postStatus) AND approval.#state = :pending',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':to': change.to,
        ':from': change.from,
        ':post': change.post,
        ...(change.script && { ':script': change.script }),
        ':none': [],
        ':change': [{ at: now, from: change.from, to: change.to, why: change.why }],
        ':read': change.version,
        ':next': change.version + 1,
        ':now': now,
        ':pending': 'pending',
      },
    }),
  );
}
