import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * The template's SQS queues (the dead-letter queues) on one machine: the subset of SQS's JSON
 * protocol the redrive and the tests use (SendMessage, ReceiveMessage, DeleteMessage,
 * GetQueueAttributes), each queue a JSON file in the data folder so a dead letter outlives a
 * restart. The SDK's own client talks to it through AWS_ENDPOINT_URL_SQS.
 */
interface StoredMessage {
  messageId: string;
  body: string;
  attributes: Record<string, { DataType: string; StringValue?: string }>;
  sentAt: number;
  receiveCount: number;
  /** Hidden from receivers until then (the visibility timeout of its last receipt). */
  visibleAt: number;
  receiptHandle?: string;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export const LOCAL_SQS_ACCOUNT = '000000000000';

export interface LocalQueues {
  endpoint: string;
  queueUrl(name: string): string;
  /** Sends one message (what the local Lambda runtime does with an on-failure destination). */
  send(name: string, body: string, attributes?: StoredMessage['attributes']): string;
  close(): Promise<void>;
}

class SqsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startLocalQueues(folder: string, names: readonly string[], region: string): Promise<LocalQueues> {
  mkdirSync(folder, { recursive: true });
  const fileOf = (name: string) => join(folder, `${name}.json`);
  const load = (name: string): StoredMessage[] => {
    if (!names.includes(name)) throw new SqsError('QueueDoesNotExist', `The specified queue ${name} does not exist.`);
    return existsSync(fileOf(name)) ? (JSON.parse(readFileSync(fileOf(name), 'utf8')) as StoredMessage[]) : [];
  };
  const save = (name: string, messages: StoredMessage[]) => {
    writeFileSync(`${fileOf(name)}.tmp`, JSON.stringify(messages, null, 2));
    renameSync(`${fileOf(name)}.tmp`, fileOf(name));
  };
  let endpoint = '';
  const queueUrl = (name: string) => `${endpoint}/${LOCAL_SQS_ACCOUNT}/${name}`;
  const nameOf = (url: unknown) => {
    const name = String(url ?? '')
      .split('/')
      .pop()!;
    load(name);
    return name;
  };

  const send = (name: string, body: string, attributes: StoredMessage['attributes'] = {}) => {
    const messages = load(name);
    const messageId = randomUUID();
    messages.push({ messageId, body, attributes, sentAt: Date.now(), receiveCount: 0, visibleAt: 0 });
    save(name, messages);
    return messageId;
  };

  const actions: Record<string, (input: Record<string, any>) => unknown> = {
    SendMessage: (input) => {
      const body = String(input.MessageBody ?? '');
      return { MessageId: send(nameOf(input.QueueUrl), body, input.MessageAttributes), MD5OfMessageBody: md5(body) };
    },
    ReceiveMessage: (input) => {
      const name = nameOf(input.QueueUrl);
      const messages = load(name);
      const now = Date.now();
      const visibility = Number(input.VisibilityTimeout ?? 30) * 1000;
      const received = messages.filter((message) => message.visibleAt <= now).slice(0, Number(input.MaxNumberOfMessages ?? 1));
      for (const message of received) {
        message.receiveCount += 1;
        message.visibleAt = now + visibility;
        message.receiptHandle = randomUUID();
      }
      save(name, messages);
      return {
        Messages: received.map((message) => ({
          MessageId: message.messageId,
          ReceiptHandle: message.receiptHandle,
          MD5OfBody: md5(message.body),
          Body: message.body,
          Attributes: { SentTimestamp: String(message.sentAt), ApproximateReceiveCount: String(message.receiveCount) },
          ...(Object.keys(message.attributes).length > 0 && { MessageAttributes: message.attributes }),
        })),
      };
    },
    DeleteMessage: (input) => {
      const name = nameOf(input.QueueUrl);
      const messages = load(name);
      const index = messages.findIndex((message) => message.receiptHandle === input.ReceiptHandle);
      if (index < 0) throw new SqsError('ReceiptHandleIsInvalid', 'The receipt handle is not valid.');
      messages.splice(index, 1);
      save(name, messages);
      return {};
    },
    GetQueueAttributes: (input) => {
      const name = nameOf(input.QueueUrl);
      const messages = load(name);
      const now = Date.now();
      return {
        Attributes: {
          ApproximateNumberOfMessages: String(messages.filter((message) => message.visibleAt <= now).length),
          ApproximateNumberOfMessagesNotVisible: String(messages.filter((message) => message.visibleAt > now).length),
          QueueArn: `arn:aws:sqs:${region}:${LOCAL_SQS_ACCOUNT}:${name}`,
          MessageRetentionPeriod: String(14 * 24 * 3600),
        },
      };
    },
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const action = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
      const reply = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
      try {
        const handle = actions[action];
        if (!handle) throw new SqsError('UnsupportedOperation', `${action || 'This operation'} is not supported by the local queues`);
        reply(200, handle(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {}));
      } catch (error) {
        const type = error instanceof SqsError ? error.type : 'InternalError';
        res.setHeader('x-amzn-query-error', `AWS.SimpleQueueService.${type};Sender`);
        reply(400, { __type: `com.amazonaws.sqs#${type}`, message: (error as Error).message });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    queueUrl,
    send,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
