import { readQuotaState, setUserTier, upsertUser } from '../db/account-store';
import { accountView } from '../domain/quotas';
import type { Tier } from '../schemas/plans';
import { DomainError } from '../core/errors';
import type { Account } from '../schemas/account';

/** GET /account: tier, period and usage against every limit; creates the user item when the webhook has not yet. */
export async function getAccount(table: string, userId: string, now: Date): Promise<Account> {
  const { user, state } = await readQuotaState(table, userId, now);
  if (!user.exists) await upsertUser(table, userId, now.toISOString());
  return accountView(user, state);
}

/** The admin claim comes from the verified token only (a Clerk session claim); nothing in a body can grant it. */
export const isAdmin = (claims: Record<string, unknown>) => claims.role === 'admin';

/** PATCH /account/plan: an admin sets an existing creator's tier (billing is out of scope); 404 for an unknown user id. */
export async function changePlan(
  table: string,
  claims: Record<string, unknown>,
  callerId: string,
  change: { tier: Tier; userId?: string },
  now: string,
) {
  if (!isAdmin(claims)) throw new DomainError('FORBIDDEN', 'Changing a plan needs the admin role in the token');
  const userId = change.userId ?? callerId;
  if (!(await setUserTier(table, userId, change.tier, now))) throw new DomainError('USER_NOT_FOUND', `No user ${userId}`);
  return { userId, tier: change.tier, updatedAt: now };
}
