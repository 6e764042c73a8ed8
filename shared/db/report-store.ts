import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, paginateQuery, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { allowedActions } from '../domain/campaign-status';
import type { CampaignStatus } from '../schemas/vocabulary';
import type { LearningMemoryItem } from '../domain/lessons';
import { DomainError } from '../core/errors';
import type { Lessons, OutcomeReport, SlotResult } from '../schemas/report';
import { notFound } from './campaign-store';
import { dynamo } from './client';
import { conditionalWrite } from './put-once';
import { keys } from './keys';

/**
 * What completing a campaign writes: the outcome report and the lessons as agent outputs
 * (`CAMP#<cid>#AGENT#outcome`, `…#lessons`: GET /campaigns/{id} shows them under `outputs`), the
 * posting slots it observed (`POSTTIMES#<cid>`, kept when the campaign is deleted, like the learning
 * memories), and, at approval, the learning memories `MEM#<goalType>#<platform>#<cid>`.
 */

export const OUTCOME_OUTPUT = 'outcome';
export const LESSONS_OUTPUT = 'lessons';

const outputItem = (userId: string, campaignId: string, agent: string, output: unknown, now: string) => ({
  ...keys.agentOutput(userId, campaignId, agent),
  agent,
  output,
  updatedAt: now,
});

export interface CompletionReport {
  outcome: OutcomeReport;
  lessons: Lessons;
  slots: SlotResult[];
  timeZone: string;
}

/**
 * Writes the outcome report, the slots and the lessons draft; each write is idempotent, so a
 * retried worker writes them again. Lessons the creator approved already are never replaced by a draft.
 */
export async function saveCompletionReport(
  table: string,
  userId: string,
  campaignId: string,
  report: CompletionReport,
  now: string,
): Promise<void> {
  await Promise.all([
    dynamo.send(new PutCommand({ TableName: table, Item: outputItem(userId, campaignId, OUTCOME_OUTPUT, report.outcome, now) })),
    dynamo.send(
      new PutCommand({
        TableName: table,
        Item: { ...keys.postingTimes(userId, campaignId), campaignId, timeZone: report.timeZone, slots: report.slots, updatedAt: now },
      }),
    ),
    saveDraft(table, userId, campaignId, report.lessons, now),
  ]);
}

async function saveDraft(table: string, userId: string, campaignId: string, lessons: Lessons, now: string) {
  await conditionalWrite(
    new PutCommand({
      TableName: table,
      Item: outputItem(userId, campaignId, LESSONS_OUTPUT, lessons, now),
      ConditionExpression: 'attribute_not_exists(PK) OR #output.#state = :draft',
      ExpressionAttributeNames: { '#output': 'output', '#state': 'state' },
      ExpressionAttributeValues: { ':draft': 'draft' },
    }),
  );
}

/** The lessons of a campaign; before its completion drafted them, a 409 that says so (404 for no campaign). */
export async function getLessons(table: string, userId: string, campaignId: string): Promise<Lessons> {
  const [lessons, header] = await Promise.all(
    [keys.agentOutput(userId, campaignId, LESSONS_OUTPUT), keys.campaign(userId, campaignId)].map(
      async (Key) => (await dynamo.send(new GetCommand({ TableName: table, Key, ConsistentRead: true }))).Item,
    ),
  );
  if (!header) throw notFound(campaignId);
  if (!lessons) {
    const status = header.status as CampaignStatus;
    throw new DomainError(
      'LESSONS_NOT_READY',
      `The lessons are drafted when the campaign completes (POST /campaigns/${campaignId}/complete); it is ${status}`,
      {
        currentStatus: status,
        allowedActions: allowedActions(status),
      },
    );
  }
  return lessons.output as Lessons;
}

/**
 * The approved lessons and their learning memories in one transaction, conditional on the version
 * that was read: a concurrent approval is a 412, and no memory is written without its lessons.
 */
export async function saveApproval(
  table: string,
  userId: string,
  lessons: Lessons,
  readVersion: number,
  memories: LearningMemoryItem[],
  now: string,
) {
  const { campaignId } = lessons;
  try {
    await dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: outputItem(userId, campaignId, LESSONS_OUTPUT, lessons, now),
              ConditionExpression: '#output.#version = :read',
              ExpressionAttributeNames: { '#output': 'output', '#version': 'version' },
              ExpressionAttributeValues: { ':read': readVersion },
            },
          },
          ...memories.map((memory) => ({
            Put: { TableName: table, Item: { ...keys.memory(userId, memory.goalType, memory.platform, campaignId), ...memory } },
          })),
        ],
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((reason) => reason.Code !== 'None')) {
      throw new DomainError('PRECONDITION_FAILED', `The lessons changed since version ${readVersion}; read them again`, { readVersion });
    }
    throw error;
  }
}

/** Every posting slot the creator's completed campaigns observed. */
export async function creatorPostingSlots(table: string, userId: string): Promise<{ campaigns: number; slots: SlotResult[] }> {
  const slots: SlotResult[] = [];
  let campaigns = 0;
  const pages = paginateQuery(
    { client: dynamo },
    {
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.postingTimesPrefix },
      ProjectionExpression: 'slots',
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      campaigns += 1;
      slots.push(...((item.slots ?? []) as SlotResult[]));
    }
  }
  return { campaigns, slots };
}
