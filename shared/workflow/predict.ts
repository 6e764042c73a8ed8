import { creatorHistory, plannedFeatures, savePredictions } from '../db/prediction-store';
import { featuresOf, fitPredictionModel, predictScore, trainingPostsOf } from '../domain/prediction';

/**
 * Finalize's prediction: every post of the campaign gets its predicted baseline-relative score
 * from a model fitted on the creator's earlier campaigns (shared/domain/prediction.ts), once,
 * before anything is posted. Not refreshed as this campaign's metrics arrive: the report checks
 * the prediction made before posting, and a refreshed one would be graded on what it had seen.
 * Returns the posts predicted and the history size.
 */
export async function predictCampaignPosts(table: string, ref: { userId: string; campaignId: string }, now: string) {
  const [history, planned] = await Promise.all([
    creatorHistory(table, ref.userId, ref.campaignId),
    plannedFeatures(table, ref.userId, ref.campaignId),
  ]);
  const model = fitPredictionModel(trainingPostsOf(history));
  await savePredictions(
    table,
    ref.userId,
    ref.campaignId,
    planned.map((post) => ({
      day: post.day,
      platform: post.platform,
      prediction: { score: predictScore(model, featuresOf(post)), basedOn: model.posts, at: now },
    })),
  );
  return { posts: planned.length, basedOn: model.posts };
}
