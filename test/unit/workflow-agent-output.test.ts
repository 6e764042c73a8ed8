import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from '../../shared/schemas/zod';
import type { AgentSpec } from '../../shared/ai';
import type { WorkflowCampaign } from '../../shared/db/workflow-store';
import { llmUsage } from '../../shared/domain/usage';
import { MAX_INLINE_OUTPUT_BYTES, readOutputItem } from '../../shared/db/agent-output-store';
import { batchOutputName, runStoredAgent } from '../../shared/workflow/agent-output';
import { inputHash, stableJson } from '../../shared/workflow/hash';

vi.stubEnv('GEMINI_API_KEY', '');
vi.stubEnv('GEMINI_API_KEY_SECRET_ARN', '');
vi.stubEnv('LLM_MODELS', '');

const ddb = mockClient(DynamoDBDocumentClient);
const table = 'crescendo-test';
const ref = { userId: 'user-1', campaignId: 'camp-1', attempt: 1 };
const campaign = {
  campaignId: 'camp-1',
  status: 'generating',
  attempt: 1,
  version: 3,
  progress: { step: 'context' },
} as unknown as WorkflowCampaign;
const echo: AgentSpec<{ topic: string }, { idea: string }> = {
  name: 'echo',
  schema: z.object({ idea: z.string() }),
  system: 'Answer with one idea.',
  prompt: ({ topic }) => `Topic: ${topic}`,
  offline: ({ topic }, seed) => ({ idea: `${topic} (${seed})` }),
};
const call = { name: 'echo', spec: echo, input: { topic: 'budgets' }, seed: 'camp-1' };
const now = '2026-11-23T10:00:00.000Z';
const hash = inputHash({ agent: 'echo', input: call.input, seed: call.seed });

beforeEach(() => {
  ddb.reset();
  ddb.on(UpdateCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
});

describe('stable hashing', () => {
  it('ignores key order at every level', () => {
    expect(stableJson({ b: 1, a: { d: [1, { f: 2, e: 1 }], c: 3 } })).toBe('{"a":{"c":3,"d":[1,{"e":1,"f":2}]},"b":1}');
    expect(inputHash({ x: 1, y: 2 })).toBe(inputHash({ y: 2, x: 1 }));
  });
});

describe('runStoredAgent', () => {
  it('runs the agent, stores the output with its hash and adds its usage in one transaction', async () => {
    ddb.on(GetCommand).resolves({});
    const result = await runStoredAgent(table, campaign, ref, call, now);
    expect(result).toEqual({ output: { idea: 'budgets (camp-1)' }, model: 'offline', fresh: true });

    const [put, header] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(put.Put).toMatchObject({
      Item: {
        PK: 'USER#user-1',
        SK: 'CAMP#camp-1#AGENT#echo',
        agent: 'echo',
        output: result.output,
        attempt: 1,
        inputHash: hash,
        model: 'offline',
        llmCalls: 1,
      },
      ConditionExpression: 'attribute_not_exists(PK) OR inputHash <> :hash',
    });
    const usage = llmUsage({ model: 'offline', tokensIn: put.Put!.Item!.tokensIn, tokensOut: put.Put!.Item!.tokensOut, attempts: 1 });
    expect(usage.tokensIn).toBeGreaterThan(0);
    expect(header.Update).toMatchObject({
      Key: { PK: 'USER#user-1', SK: 'CAMP#camp-1' },
      UpdateExpression: 'ADD #usage.llmCalls :u0, #usage.tokensIn :u1, #usage.tokensOut :u2',
      ExpressionAttributeNames: { '#usage': 'usage' },
      ExpressionAttributeValues: { ':u0': 1, ':u1': usage.tokensIn, ':u2': usage.tokensOut },
    });
    // The answering model joins progress.models, once.
    const [models] = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(models).toMatchObject({
      ConditionExpression: expect.stringContaining('NOT contains(progress.models, :name)'),
      ExpressionAttributeValues: { ':model': ['offline'] },
    });
  });

  it('adds progress counts with the usage', async () => {
    ddb.on(GetCommand).resolves({});
    await runStoredAgent(table, campaign, ref, { ...call, progress: { critiqueRounds: 1 } }, now);
    const [, header] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(header.Update!.UpdateExpression).toMatch(/, progress\.#c0 :c0$/);
    expect(header.Update).toMatchObject({ ExpressionAttributeNames: { '#c0': 'critiqueRounds' }, ExpressionAttributeValues: { ':c0': 1 } });
  });

  it('reuses an output stored for the same inputs: no call, no usage', async () => {
    ddb.on(GetCommand).resolves({ Item: { inputHash: hash, output: { idea: 'stored' }, model: 'gemini-2.5-flash' } });
    const known = { ...campaign, progress: { models: ['gemini-2.5-flash'] } } as WorkflowCampaign;
    await expect(runStoredAgent(table, known, ref, call, now)).resolves.toEqual({
      output: { idea: 'stored' },
      model: 'gemini-2.5-flash',
      fresh: false,
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toEqual([]);
    expect(ddb.commandCalls(UpdateCommand)).toEqual([]);
  });

  it('runs again when the inputs changed', async () => {
    ddb.on(GetCommand).resolves({ Item: { inputHash: 'other', output: { idea: 'old' }, model: 'offline' } });
    await expect(runStoredAgent(table, campaign, ref, call, now)).resolves.toMatchObject({
      output: { idea: 'budgets (camp-1)' },
      fresh: true,
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('a concurrent run that stored first wins, and this one counts nothing', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({})
      .resolves({ Item: { inputHash: hash, output: { idea: 'theirs' }, model: 'offline' } });
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    await expect(runStoredAgent(table, campaign, ref, call, now)).resolves.toEqual({
      output: { idea: 'theirs' },
      model: 'offline',
      fresh: false,
    });
  });

  it('names batch outputs outside the range GET /campaigns/{id} reads', () => {
    expect(batchOutputName('write', 2, 1)).toBe('~write#w02#r1');
    expect(`CAMP#c#AGENT#${batchOutputName('critique', 1, 0)}` > 'CAMP#c#AGENT#~').toBe(true);
  });
});

describe('an output too large for a table item', () => {
  const s3 = mockClient(S3Client);
  const big: AgentSpec<{ topic: string }, { idea: string }> = {
    ...echo,
    name: 'big',
    offline: ({ topic }) => ({ idea: `${topic} `.repeat(60_000) }),
  };
  const bigCall = { name: '~write#w01#r0', spec: big, input: { topic: 'budgets' }, seed: 'camp-1' };

  beforeEach(() => {
    s3.reset();
    vi.stubEnv('MEDIA_BUCKET_NAME', 'crescendo-media');
  });

  it('is stored in the media bucket under the campaign, the item holding a pointer, and read back transparently', async () => {
    ddb.on(GetCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    const result = await runStoredAgent(table, campaign, ref, bigCall, now);
    expect(JSON.stringify(result.output).length).toBeGreaterThan(MAX_INLINE_OUTPUT_BYTES);

    const [object] = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(object).toMatchObject({
      Bucket: 'crescendo-media',
      ContentType: 'application/json',
      Key: expect.stringMatching(/^users\/user-1\/campaigns\/camp-1\/agent-outputs\/~write%23w01%23r0-[0-9a-f]{16}\.json$/),
    });
    expect(JSON.parse(object.Body as string)).toEqual(result.output);
    const [put] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(put.Put!.Item).not.toHaveProperty('output');
    expect(put.Put!.Item).toMatchObject({
      outputRef: { key: object.Key, bytes: (object.Body as string).length },
      inputHash: expect.any(String),
    });
    expect(JSON.stringify(put.Put!.Item).length).toBeLessThan(2_000);

    // Read back: the stored item's pointer is followed, and the stored output is reused (no new call).
    ddb.on(GetCommand).resolves({ Item: put.Put!.Item });
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => object.Body as string } } as never);
    await expect(readOutputItem(table, ref, bigCall.name)).resolves.toMatchObject({ output: result.output });
    const calls = ddb.commandCalls(TransactWriteCommand).length;
    await expect(
      runStoredAgent(table, { ...campaign, progress: { models: ['offline'] } } as WorkflowCampaign, ref, bigCall, now),
    ).resolves.toEqual({ ...result, fresh: false });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(calls);
  });

  it('a small output stays in the item and touches no bucket', async () => {
    ddb.on(GetCommand).resolves({});
    await runStoredAgent(table, campaign, ref, call, now);
    expect(s3.commandCalls(PutObjectCommand)).toEqual([]);
  });
});
