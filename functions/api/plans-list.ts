import { plans } from '../../shared/domain/plans';
import { tiers } from '../../shared/schemas/plans';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';

const body = tiers.map((tier) => ({ tier, limits: plans[tier] }));

export const handler = httpRoute('ListPlans', async () => new Reply(body, { headers: { 'cache-control': 'public, max-age=300' } }));
