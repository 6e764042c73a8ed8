import { readConfig } from '../../shared/core/config';
import { getProfile } from '../../shared/db/profile-store';
import { completionOf } from '../../shared/domain/profile';
import { httpRoute } from '../../shared/http/middleware';
import { profileRoutes } from '../../shared/http/routes/profile';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(profileRoutes, 'GetProfileCompletion', async ({ userId }) =>
  completionOf(await getProfile(TABLE_NAME, userId)),
);
