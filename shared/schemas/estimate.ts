import * as z from 'zod';

const count = z.number().int();

export const estimateSchema = z
  .object({
    posts: count,
    weeks: count,
    critiqueRounds: count.meta({ description: 'The most rewrite rounds the campaign allows (agentConfig.maxCritiqueRounds)' }),
    llmCalls: count,
    tokensIn: count,
    tokensOut: count,
    images: count,
    stateTransitions: count,
    perModel: z
      .array(z.object({ model: z.string(), costMicroUsd: count, costUsd: z.number() }))
      .meta({ description: 'The cost if every call were answered by that model of the fallback chain (images and state transitions included)' }),
    costMicroUsd: count.meta({ description: 'The dearest model of the chain' }),
    worstCase: z
      .object({ llmCalls: count, tokensIn: count, tokensOut: count, costMicroUsd: count })
      .meta({ description: 'Every critique round rewriting every post: what the start checks against the monthly LLM budget' }),
  })
  .meta({ id: 'CampaignEstimate' });
