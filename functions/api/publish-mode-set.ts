import { setPublishMode } from '../../shared/app/connections';
import { httpRoute } from '../../shared/http/middleware';

export const handler = httpRoute('SetPublishMode', ({ userId, params, body }) =>
  setPublishMode(userId, params.id, params.platform, body.mode),
);
