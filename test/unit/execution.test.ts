import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import ICAL from 'ical.js';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as confirmDay } from '../../functions/api/confirm-day';
import { csvCell, escapeText, foldLine, toCsv, toICalendar, vtimezone, type ExportPost } from '../../shared/domain/calendar-export';
import {
  checkConfirmation,
  MAX_METRIC_REPORTS,
  nextExecution,
  postStatus,
  scheduleRange,
  type RunningCampaign,
} from '../../shared/domain/execution';
import { buildSchedule } from '../../shared/domain/schedule';
import { apiEvent, call } from '../support/api-event';

const cid = '3f2a9c4e-8b1d-4e7a-9c55-2d6f0b1e7a10';
const campaign: RunningCampaign = {
  campaignId: cid,
  status: 'in_progress',
  startDate: '2027-03-22',
  durationDays: 14,
  platforms: [{ platform: 'youtube' }, { platform: 'instagram' }],
  timeZone: 'Europe/Berlin',
};
const now = new Date('2027-04-10T12:00:00Z');

describe('post status', () => {
  it('a stored status wins; otherwise the approval decides', () => {
    expect(postStatus({ approval: { state: 'pending' } })).toBe('planned');
    expect(postStatus({ approval: { state: 'approved' } })).toBe('approved');
    expect(postStatus({ approval: { state: 'approved' }, postStatus: 'due' })).toBe('due');
    expect(postStatus({ approval: { state: 'rejected' }, postStatus: 'skipped' })).toBe('skipped');
  });
});

describe('schedule range', () => {
  it('defaults to the whole campaign and clips local dates to its days', () => {
    expect(scheduleRange(campaign, {})).toEqual({ from: '2027-03-22', to: '2027-04-04', fromDay: 1, toDay: 14 });
    expect(scheduleRange(campaign, { from: '2027-03-01', to: '2027-03-24' })).toMatchObject({ fromDay: 1, toDay: 3 });
    const outside = scheduleRange(campaign, { from: '2027-05-01', to: '2027-05-02' });
    expect(outside.toDay).toBeLessThan(outside.fromDay);
  });
});

describe('confirmations', () => {
  const body = { day: 2, platform: 'youtube' as const, posted: true, metrics: { views: 10 } };

  it('checks the campaign status, the day, the platform and postedAt', () => {
    expect(() => checkConfirmation(campaign, body, now)).not.toThrow();
    const code = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        return (error as { code: string }).code;
      }
    };
    expect(code(() => checkConfirmation({ ...campaign, status: 'completed' }, body, now))).toBe('CAMPAIGN_STATE_CONFLICT');
    expect(code(() => checkConfirmation(campaign, { ...body, day: 15 }, now))).toBe('DAY_OUTSIDE_CAMPAIGN');
    expect(code(() => checkConfirmation(campaign, { ...body, platform: 'x' }, now))).toBe('PLATFORM_NOT_IN_CAMPAIGN');
    expect(code(() => checkConfirmation(campaign, { ...body, postedAt: '2027-04-10T12:30:00Z' }, now))).toBe('VALIDATION_FAILED');
    expect(code(() => checkConfirmation(campaign, { ...body, postedAt: '2027-04-10T12:04:00Z' }, now))).toBeUndefined();
  });

  it('upserts: latest metrics, history appended and capped, earlier fields kept', () => {
    const content = { campaignId: cid, dueAt: '2027-03-23T16:00:00.000Z' };
    const first = nextExecution(undefined, { ...body, platformPostId: 'a' }, content, '2027-03-24T00:00:00.000Z');
    expect(first).toMatchObject({ version: 1, posted: true, status: 'posted', postedAt: content.dueAt, platformPostId: 'a' });
    const second = nextExecution(first, { ...body, metrics: { views: 30, likes: 2 } }, content, '2027-03-25T00:00:00.000Z');
    expect(second).toMatchObject({ version: 2, platformPostId: 'a', metrics: { views: 30, likes: 2 }, confirmedAt: first.confirmedAt });
    expect(second.history.map((report) => report.metrics.views)).toEqual([10, 30]);
    let many = second;
    for (let i = 0; i < MAX_METRIC_REPORTS + 5; i++)
      many = nextExecution(many, { ...body, metrics: { views: 100 + i } }, content, '2027-03-26T00:00:00.000Z');
    expect(many.history).toHaveLength(MAX_METRIC_REPORTS);
    expect(many.history.at(-1)?.metrics.views).toBe(100 + MAX_METRIC_REPORTS + 4);
    const skipped = nextExecution(second, { day: 2, platform: 'youtube', posted: false }, content, '2027-03-26T00:00:00.000Z');
    expect(skipped).toMatchObject({ posted: false, status: 'skipped', version: 3 });
    expect(skipped).not.toHaveProperty('metrics');
  });
  it('a confirmation of a post Crescendo published keeps its URL and source: published', () => {
    const content = { campaignId: cid, dueAt: '2027-03-23T16:00:00.000Z' };
    const published = {
      ...nextExecution(undefined, { ...body, platformPostId: '1850' }, content, '2027-03-23T16:01:00.000Z'),
      url: 'https://x.com/maya/status/1850',
      source: 'published' as const,
    };
    const confirmed = nextExecution(published, { ...body, metrics: { likes: 7 } }, content, '2027-03-24T00:00:00.000Z');
    expect(confirmed).toMatchObject({
      platformPostId: '1850',
      url: 'https://x.com/maya/status/1850',
      source: 'published',
      metrics: { likes: 7 },
    });
  });
});

describe('iCalendar and CSV', () => {
  it('escapes TEXT values and folds at 75 octets without splitting characters', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    const line = `DESCRIPTION:${'é'.repeat(100)}`;
    const folded = foldLine(line).split('\r\n');
    expect(folded.every((part) => Buffer.byteLength(part) <= 75)).toBe(true);
    expect(folded.map((part, i) => (i === 0 ? part : part.slice(1))).join('')).toBe(line);
  });

  it('describes the Berlin spring-forward inside the campaign, and ical.js converts both sides correctly', () => {
    const zone = vtimezone('Europe/Berlin', '2027-03-22', '2027-04-04').join('\n');
    expect(zone).toContain('BEGIN:DAYLIGHT\nDTSTART:20270328T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200');
    const planned = buildSchedule({
      durationDays: 14,
      startDate: '2027-03-22',
      platforms: [{ platform: 'youtube', postsPerWeek: 7 }],
      timeZone: 'Europe/Berlin',
    });
    const posts: ExportPost[] = planned.map((post) => ({
      ...post,
      campaignId: cid,
      title: `Day ${post.day}, "quoted", with commas`,
      post: 'Line one;\nline two, with a comma',
      approval: { state: 'pending' },
      version: 1,
      revisions: [],
      updatedAt: now.toISOString(),
    }));
    const ics = toICalendar({ campaignId: cid, timeZone: 'Europe/Berlin', firstDate: '2027-03-22', lastDate: '2027-04-04', posts, now });
    const calendar = new ICAL.Component(ICAL.parse(ics));
    ICAL.TimezoneService.register(calendar.getFirstSubcomponent('vtimezone')!);
    const events = calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
    expect(events.map((event) => event.startDate.toJSDate().toISOString())).toEqual(posts.map((post) => post.dueAt));
    expect(events[0].description).toBe('Line one;\nline two, with a comma');
    expect(events[0].summary).toBe('YouTube: Day 1, "quoted", with commas');

    const csv = toCsv({ timeZone: 'Europe/Berlin', posts });
    expect(csv.split('\r\n')[1]).toBe(
      '2027-03-22,17:00,Europe/Berlin,1,youtube,video,planned,,"Day 1, ""quoted"", with commas","Line one;\nline two, with a comma",2027-03-22T16:00:00.000Z',
    );
  });

  it('never writes a stored control or bidi character raw: U+FFFD in its place, tab and line breaks kept as each format writes them', () => {
    // CTL of RFC 5545 (TEXT allows HTAB only), C1 and the bidi controls.
    const refused = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const escaped = escapeText(text);
        const cell = csvCell(text).replace(/\r\n|\r|\n/g, '');
        return !refused.test(escaped) && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u.test(cell);
      }),
    );
    expect(escapeText('Launch\u0000 \u202Egnp.exe\tnow\r\nok')).toBe('Launch\uFFFD \uFFFDgnp.exe\tnow\\nok');
    expect(csvCell('a\u0000b\nc')).toBe('"a\uFFFDb\nc"');
    const ics = toICalendar({
      campaignId: cid,
      campaignName: 'Spring\u0000\u202Esale',
      timeZone: 'UTC',
      firstDate: '2027-03-22',
      lastDate: '2027-03-22',
      posts: [],
      now,
    });
    expect(ics).toContain('X-WR-CALNAME:Spring\uFFFD\uFFFDsale\r\n');
    expect(ics).not.toMatch(/\u0000/);
  });

  it('neutralizes spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(12)).toBe('12');
    expect(csvCell(undefined)).toBe('');
  });
});

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

describe('POST /campaigns/{id}/confirm-day', () => {
  const header = {
    PK: 'USER#user-1',
    SK: `CAMP#${cid}`,
    campaignId: cid,
    status: 'in_progress',
    startDate: '2026-11-02',
    durationDays: 7,
    platforms: [{ platform: 'youtube', postsPerWeek: 3 }],
    profileSnapshot: { timeZone: 'Europe/Paris' },
  };
  const content = {
    PK: 'USER#user-1',
    SK: `CAMP#${cid}#DAY#01#youtube`,
    campaignId: cid,
    day: 1,
    platform: 'youtube',
    dueAt: '2026-11-02T16:00:00.000Z',
  };
  const event = (body: unknown) => apiEvent({ method: 'POST', path: `/campaigns/${cid}/confirm-day`, pathParameters: { id: cid }, body });
  const body = { day: 1, platform: 'youtube', posted: true, metrics: { views: 5 } };

  it('writes the status check, the content status and the execution in one transaction', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { PK: 'USER#user-1', SK: `CAMP#${cid}` } }).resolves({ Item: header });
    ddb.on(GetCommand, { Key: { PK: 'USER#user-1', SK: content.SK } }).resolves({ Item: content });
    ddb.on(TransactWriteCommand).resolves({});
    const res = await call(confirmDay, event(body));
    expect(res.status).toBe(200);
    const [transaction] = ddb.commandCalls(TransactWriteCommand);
    const items = transaction.args[0].input.TransactItems!;
    expect(items).toHaveLength(3);
    expect(items[1].Update?.UpdateExpression).toContain('REMOVE GSI1PK, GSI1SK');
    expect(items[2].Put?.Item).toMatchObject({ SK: `CAMP#${cid}#EXEC#01#youtube`, posted: true, version: 1 });
  });

  it('maps a campaign that completed meanwhile to 409', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { PK: 'USER#user-1', SK: `CAMP#${cid}` } }).resolves({ Item: header });
    ddb.on(GetCommand, { Key: { PK: 'USER#user-1', SK: content.SK } }).resolves({ Item: content });
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [
          { Code: 'ConditionalCheckFailed', Item: marshall({ status: 'completed' }) },
          { Code: 'None' },
          { Code: 'None' },
        ],
      }),
    );
    const res = await call(confirmDay, event(body));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CAMPAIGN_STATE_CONFLICT', details: { currentStatus: 'completed' } });
  });
});
