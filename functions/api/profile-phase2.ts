import { readConfig } from '../../shared/core/config';
import { updatePhase2 } from '../../shared/db/profile-store';
import { phase2Changes, toProfile } from '../../shared/domain/profile';
import { httpRoute } from '../../shared/http/middleware';
import { profileRoutes } from '../../shared/http/routes/profile';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(profileRoutes, 'UpdateProfilePhase2', async ({ userId, body }) =>
  toProfile(await updatePhase2(TABLE_NAME, userId, phase2Changes(body), new Date().toISOString())),
);
