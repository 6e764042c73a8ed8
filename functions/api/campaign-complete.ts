import { readConfig } from '../../shared/core/config';
import { idempotentRoute } from '../../shared/http/idempotency';
import { lessonRoutes } from '../../shared/http/routes/lessons';
import { requestCompletion } from '../../shared/app/request-completion';

const { TABLE_NAME, REPORT_FUNCTION_NAME } = readConfig(['TABLE_NAME', 'REPORT_FUNCTION_NAME']);

export const handler = idempotentRoute(lessonRoutes, 'CompleteCampaign', TABLE_NAME, ({ userId, params }) =>
  requestCompletion(TABLE_NAME, REPORT_FUNCTION_NAME, userId, params.id, new Date().toISOString()),
);
