import { plans } from '../../shared/domain/plans';
import { tiers } from '../../shared/schemas/plans';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { accountRoutes } from '../../shared/http/routes/account';

const body = tiers.map((tier) => ({ tier, limits: plans[tier] }));

export const handler = httpRoute(
  accountRoutes,
  'ListPlans',
  async () => new Reply(body, { headers: { 'cache-control': 'public, max-age=300' } }),
);
