import { readConfig } from '../../shared/core/config';
import { confirmDay } from '../../shared/app/confirm-day';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('ConfirmDay', async ({ userId, params, body }) =>
  confirmDay(TABLE_NAME, userId, params.id, body, new Date()),
);
