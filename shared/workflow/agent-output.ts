import { runAgent, type AgentSpec } from '../ai';
import { readOutputItem, storableOutput } from '../db/agent-output-store';
import { keys } from '../db/keys';
import { noteModel, WorkflowError, type AttemptRef, type WorkflowCampaign } from '../db/workflow-store';
import { llmUsage } from '../domain/usage';
import { logger } from '../core/logger';
import { inputHash } from './hash';
import { meterToken, storeWithUsage, type ProgressCounts } from '../db/metering-store';

/**
 * Agent outputs of the workflow, one item each at keys.agentOutput(uid, cid, name):
 * `{ agent, output, attempt, updatedAt, inputHash, model, tokensIn, tokensOut, llmCalls, keySource? }`
 * (`keySource: 'creator'`: the model answered on the creator's own Gemini key).
 *
 * Campaign-wide outputs are named after the agent (`context`, `forensics`, `strategy`, `plan`);
 * GET /campaigns/{id} shows them under `outputs`. Per-batch outputs (`~write#w01#r0#c0`, one per writer chunk,
 * `~critique#w01#r0`) start with `~`, which sorts after the end of that Query's
 * `CAMP#<cid>#AGENT#~` range: the route never reads the bulky drafts, and they still go with the
 * campaign when it is deleted (begins_with CAMP#<cid>).
 *
 * An output too large for a table item goes to the media bucket behind a pointer
 * (shared/db/agent-output-store.ts); readOutputItem follows it.
 */
export const batchOutputName = (kind: 'write' | 'critique', week: number, round: number, chunk?: number) =>
  `~${kind}#w${String(week).padStart(2, '0')}#r${round}${chunk === undefined ? '' : `#c${chunk}`}`;

export interface StoredOutput<O> {
  output: O;
  model: string;
  /** Whether this call paid for the output (false: it was stored already for the same inputs). */
  fresh: boolean;
}

/** A stored output a task depends on; its absence means an earlier stage did not run. */
export async function requireOutput<O>(table: string, ref: AttemptRef, name: string): Promise<O> {
  const item = await readOutputItem(table, ref, name);
  if (!item || item.output === undefined)
    throw new WorkflowError('MissingAgentOutput', `Campaign ${ref.campaignId} has no ${name} output yet`);
  return item.output as O;
}

/**
 * Runs an agent unless its output is stored for the same inputs. The hash covers the agent, its
 * input and the seed: a re-run (a Step Functions retry, a campaign's next attempt) with the same
 * inputs returns the stored output and pays for nothing. A new output is stored together with
 * its usage (storeWithUsage), so a retry never counts a call twice. The answering model is added
 * to `progress.models` either way.
 */
export async function runStoredAgent<I, O>(
  table: string,
  campaign: WorkflowCampaign,
  ref: AttemptRef,
  call: { name: string; spec: AgentSpec<I, O>; input: I; seed: string; progress?: ProgressCounts },
  now: string,
): Promise<StoredOutput<O>> {
  const hash = inputHash({ agent: call.spec.name, input: call.input, seed: call.seed });
  const noted = (model: string) => (campaign.progress?.models ?? []).includes(model) || noteModel(table, ref, model);

  const stored = await readOutputItem(table, ref, call.name);
  if (stored?.inputHash === hash) {
    logger.info('agent output reused', { output: call.name, model: stored.model });
    await noted(String(stored.model));
    return { output: stored.output as O, model: String(stored.model), fresh: false };
  }

  const result = await runAgent(call.spec, call.input, { seed: call.seed, userId: ref.userId });
  const counted = await storeWithUsage(
    table,
    ref,
    {
      Put: {
        TableName: table,
        Item: {
          ...keys.agentOutput(ref.userId, ref.campaignId, call.name),
          agent: call.name,
          ...(await storableOutput(ref, call.name, hash, result.output)),
          attempt: ref.attempt,
          updatedAt: now,
          inputHash: hash,
          model: result.model,
          tokensIn: result.tokensIn,
          tokensOut: result.tokensOut,
          llmCalls: result.attempts,
          ...(result.keySource && { keySource: result.keySource }),
          ...(result.fallbacks.length > 0 && { fallbacks: result.fallbacks }),
        },
        ConditionExpression: 'attribute_not_exists(PK) OR inputHash <> :hash',
        ExpressionAttributeValues: { ':hash': hash },
      },
    },
    llmUsage(result),
    call.progress,
    meterToken('agent', ref.campaignId, call.name, hash),
  );
  if (!counted) {
    // A concurrent run of this task stored the same inputs' output first: everyone uses that one.
    const winner = await readOutputItem(table, ref, call.name);
    if (winner?.inputHash === hash) return { output: winner.output as O, model: String(winner.model), fresh: false };
  }
  logger.info('agent output stored', {
    output: call.name,
    model: result.model,
    tokensIn: result.tokensIn,
    tokensOut: result.tokensOut,
    attempts: result.attempts,
  });
  await noted(result.model);
  return { output: result.output, model: result.model, fresh: true };
}
