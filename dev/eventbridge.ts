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

/** An event as EventBridge hands it to a rule's target. */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** A rule of the template with an event pattern, and the handler modules of its Lambda targets. */
export interface LocalEventRule {
  logicalId: string;
  eventBusName: string;
  eventPattern: Record<string, unknown>;
  targets: { entry: string; functionLogicalId: string }[];
}

type Matcher = unknown;

/** One value of the event against one matcher of a pattern's array. */
function matchesValue(matcher: Matcher, value: unknown, present: boolean): boolean {
  if (matcher === null || typeof matcher !== 'object') return present && value === matcher;
  const rule = matcher as Record<string, unknown>;
  if ('exists' in rule) return rule.exists === present;
  if (!present) return false;
  if ('prefix' in rule) return typeof value === 'string' && typeof rule.prefix === 'string' && value.startsWith(rule.prefix);
  if ('suffix' in rule) return typeof value === 'string' && typeof rule.suffix === 'string' && value.endsWith(rule.suffix);
  if ('equals-ignore-case' in rule)
    return typeof value === 'string' && String(rule['equals-ignore-case']).toLowerCase() === value.toLowerCase();
  if ('anything-but' in rule) {
    const excluded = rule['anything-but'];
    if (excluded !== null && typeof excluded === 'object' && !Array.isArray(excluded)) return !matchesValue(excluded, value, present);
    return ![excluded].flat().includes(value as never);
  }
  if ('numeric' in rule) {
    const conditions = rule.numeric as (string | number)[];
    if (typeof value !== 'number') return false;
    const compare: Record<string, (a: number, b: number) => boolean> = {
      '<': (a, b) => a < b,
      '<=': (a, b) => a <= b,
      '=': (a, b) => a === b,
      '>': (a, b) => a > b,
      '>=': (a, b) => a >= b,
    };
    for (let i = 0; i < conditions.length; i += 2) if (!compare[String(conditions[i])]?.(value, Number(conditions[i + 1]))) return false;
    return true;
  }
  throw new Error(`Unsupported event pattern matcher ${JSON.stringify(matcher)}`);
}

/**
 * EventBridge's event pattern matching: every field the pattern names must match; an object
 * descends into the event's object, an array lists the accepted values (exact values, prefix,
 * suffix, anything-but, exists, numeric), and an array in the event matches when any element does.
 */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  const fields = event !== null && typeof event === 'object' && !Array.isArray(event) ? (event as Record<string, unknown>) : {};
  return Object.entries(pattern).every(([key, expected]) => {
    const present = Object.hasOwn(fields, key);
    const value = fields[key];
    if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
      return present && value !== null && typeof value === 'object' && matchesPattern(expected as Record<string, unknown>, value);
    }
    const matchers = Array.isArray(expected) ? expected : [expected];
    const values = Array.isArray(value) ? value : [value];
    return matchers.some((matcher) => values.some((element) => matchesValue(matcher, element, present)));
  });
}

interface PutEventsEntry {
  EventBusName?: string;
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Time?: number | string;
}

export interface LocalEventBridgeOptions {
  /** The template's rules with event patterns. */
  rules?: LocalEventRule[];
  /** Runs a matching rule's Lambda target asynchronously (as EventBridge does). */
  invokeTarget?: (target: LocalEventRule['targets'][number], event: BusEvent) => void;
  region?: string;
  account?: string;
}

/**
 * EventBridge for the template: PutEvents (AWS JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`) for
 * its buses, reached through AWS_ENDPOINT_URL_EVENTBRIDGE so emitters run unchanged, and the
 * events AWS services send to the default bus (`deliver`, e.g. Step Functions' status changes).
 * Every event is evaluated against the template's rules on its bus, each match invoking the rule's
 * Lambda targets; the PutEvents ones are also kept in memory (`events()`).
 */
export async function startLocalEventBridge(busNames: readonly string[], options: LocalEventBridgeOptions = {}) {
  const recorded: RecordedEvent[] = [];
  const { region = 'us-east-1', account = '000000000000' } = options;
  const route = (eventBusName: string, event: BusEvent) => {
    for (const rule of options.rules ?? []) {
      if (rule.eventBusName !== eventBusName || !matchesPattern(rule.eventPattern, event)) continue;
      for (const target of rule.targets) options.invokeTarget?.(target, event);
    }
  };
  /** An event a service sends to a bus (the default bus for AWS services' own events). */
  const deliver = (
    event: Omit<BusEvent, 'version' | 'id' | 'account' | 'region' | 'time'> & { time?: string },
    eventBusName = 'default',
  ) => {
    route(eventBusName, { version: '0', id: randomUUID(), account, region, ...event, time: event.time ?? new Date().toISOString() });
  };
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
        return reply(400, {
          __type: 'UnknownOperationException',
          message: `Only PutEvents is emulated, got ${req.headers['x-amz-target']}`,
        });
      }
      let entries: PutEventsEntry[];
      try {
        entries = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: PutEventsEntry[] }).Entries ?? [];
      } catch {
        return reply(400, { __type: 'SerializationException', message: 'The body is not JSON' });
      }
      if (entries.length === 0 || entries.length > 10)
        return reply(400, { __type: 'ValidationException', message: 'Entries must hold 1 to 10 events' });
      const results = entries.map((entry) => {
        const bus = entry.EventBusName ?? 'default';
        if (!busNames.includes(bus)) return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: `No event bus ${bus}` };
        if (!entry.Source || !entry.DetailType || !entry.Detail)
          return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Source, DetailType and Detail are required' };
        let detail: unknown;
        try {
          detail = JSON.parse(entry.Detail);
        } catch {
          return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not JSON' };
        }
        const id = randomUUID();
        const time =
          entry.Time === undefined ? undefined : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time).toISOString();
        recorded.push({ id, eventBusName: bus, source: entry.Source, detailType: entry.DetailType, time, detail });
        route(bus, {
          version: '0',
          id,
          'detail-type': entry.DetailType,
          source: entry.Source,
          account,
          region,
          time: time ?? new Date().toISOString(),
          resources: [],
          detail,
        });
        return { EventId: id };
      });
      reply(200, { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events: () => [...recorded],
    deliver,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
