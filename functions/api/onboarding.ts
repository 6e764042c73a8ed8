import { readConfig } from '../../shared/core/config';
import { createProfile } from '../../shared/db/profile-store';
import { newProfile, toProfile } from '../../shared/domain/profile';
import { httpRoute } from '../../shared/http/middleware';
import { profileRoutes } from '../../shared/http/routes/profile';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(profileRoutes, 'CreateOnboarding', async ({ userId, claims, body }) => {
  const profile = newProfile(userId, body, new Date().toISOString());
  await createProfile(TABLE_NAME, profile, typeof claims.email === 'string' ? claims.email : undefined);
  return toProfile(profile);
});
