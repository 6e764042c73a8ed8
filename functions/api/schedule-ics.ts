import { readConfig } from '../../shared/core/config';
import { wholeSchedule } from '../../shared/db/execution-store';
import { toICalendar } from '../../shared/domain/calendar-export';
import { addDays } from '../../shared/domain/schedule';
import { RawReply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { scheduleRoutes } from '../../shared/http/routes/schedule';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(scheduleRoutes, 'ExportScheduleIcs', async ({ userId, params }) => {
  const { campaign, posts } = await wholeSchedule(TABLE_NAME, userId, params.id);
  const body = toICalendar({
    campaignId: params.id,
    campaignName: campaign.name,
    timeZone: campaign.timeZone,
    firstDate: campaign.startDate,
    lastDate: addDays(campaign.startDate, campaign.durationDays - 1),
    posts,
    now: new Date(),
  });
  return new RawReply({
    statusCode: 200,
    headers: { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': `attachment; filename="campaign-${params.id}.ics"` },
    body,
  });
});
