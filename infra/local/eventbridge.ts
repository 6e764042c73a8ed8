import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedEvent {
  id: string;
  eventBusName: string;
  source: string;
  detailType: string;
  time?: string;
  detail: unknown;
}

interface PutEventsEntry {
  EventBusName?: string;
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Time?: number | string;
}

/**
 * EventBridge's PutEvents (AWS JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`) for the buses of
 * the template: the SDK reaches it through AWS_ENDPOINT_URL_EVENTBRIDGE, so emitters run
 * unchanged. Accepted events are kept in memory (no rules are evaluated locally).
 */
export async function startLocalEventBridge(busNames: readonly string[]) {
  const recorded: RecordedEvent[] = [];
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
        return reply(400, { __type: 'UnknownOperationException', message: `Only PutEvents is emulated, got ${req.headers['x-amz-target']}` });
      }
      let entries: PutEventsEntry[];
      try {
        entries = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: PutEventsEntry[] }).Entries ?? [];
      } catch {
        return reply(400, { __type: 'SerializationException', message: 'The body is not JSON' });
      }
      if (entries.length === 0 || entries.length > 10) return reply(400, { __type: 'ValidationException', message: 'Entries must hold 1 to 10 events' });
      const results = entries.map((entry) => {
        const bus = entry.EventBusName ?? 'default';
        if (!busNames.includes(bus)) return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: `No event bus ${bus}` };
        if (!entry.Source || !entry.DetailType || !entry.Detail) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Source, DetailType and Detail are required' };
        let detail: unknown;
        try {
          detail = JSON.parse(entry.Detail);
        } catch {
          return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not JSON' };
        }
        const id = randomUUID();
        const time = entry.Time === undefined ? undefined : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time).toISOString();
        recorded.push({ id, eventBusName: bus, source: entry.Source, detailType: entry.DetailType, time, detail });
        return { EventId: id };
      });
      reply(200, { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events: () => [...recorded],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
