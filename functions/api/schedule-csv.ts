import { readConfig } from '../../shared/core/config';
import { wholeSchedule } from '../../shared/db/execution-store';
import { toCsv } from '../../shared/domain/calendar-export';
import { RawReply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { scheduleRoutes } from '../../shared/http/routes/schedule';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(scheduleRoutes, 'ExportScheduleCsv', async ({ userId, params }) => {
  const { campaign, posts } = await wholeSchedule(TABLE_NAME, userId, params.id);
  return new RawReply({
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="campaign-${params.id}.csv"`,
    },
    body: toCsv({ timeZone: campaign.timeZone, posts }),
  });
});
