import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { pathToFileURL } from 'node:url';
import { LOCAL_SQS_ACCOUNT } from './sqs';
import { attachToRunningStack } from './state';

/**
 * Re-invokes, asynchronously, the function each message of a dead-letter queue names with the
 * event it failed on, then deletes the message. Two shapes arrive: Lambda's on-failure record
 * (`requestContext.functionArn`, `requestPayload`) and an EventBridge target's undelivered event
 * (the event itself, the function in the `TARGET_ARN` attribute). An invocation that fails again
 * comes back to the queue after its retries, as the first one did.
 */
export async function redrive(queueUrl: string, clients = { sqs: new SQSClient({}), lambda: new LambdaClient({}) }) {
  const result = { redriven: 0, unreadable: 0 };
  for (;;) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60, MessageAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) return result;
    for (const message of Messages) {
      const target = deadLetterOf(message);
      if (!target) {
        // Left in the queue (visible again after a minute) for someone to read.
        result.unreadable += 1;
        continue;
      }
      await clients.lambda.send(
        new InvokeCommand({ FunctionName: target.functionArn, InvocationType: 'Event', Payload: JSON.stringify(target.payload) }),
      );
      await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      result.redriven += 1;
    }
  }
}

/** The function and the event of one dead letter; undefined for a message of neither shape. */
export function deadLetterOf(message: Pick<Message, 'Body' | 'MessageAttributes'>): { functionArn: string; payload: unknown } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    return undefined;
  }
  const record = body as { requestContext?: { functionArn?: string }; requestPayload?: unknown };
  if (record?.requestContext?.functionArn && 'requestPayload' in record) {
    return { functionArn: record.requestContext.functionArn, payload: record.requestPayload };
  }
  const targetArn = message.MessageAttributes?.TARGET_ARN?.StringValue;
  return targetArn ? { functionArn: targetArn, payload: body } : undefined;
}

/**
 * `npm run redrive -- <queue>`: a local queue's name (`WorkerDeadLetters`, `PostingTriggerDeadLetters`)
 * against the running `npm start`, or a queue URL (the stack's outputs `WorkerDeadLettersUrl`,
 * `PostingDeadLettersUrl`) with this shell's AWS configuration.
 */
async function main() {
  const [queue] = process.argv.slice(2);
  if (!queue) {
    console.error('usage: npm run redrive -- <queue name (local) | queue URL (AWS)>');
    process.exit(2);
  }
  let queueUrl = queue;
  if (!/^https?:\/\//.test(queue)) {
    const { env } = attachToRunningStack();
    queueUrl = `${env.AWS_ENDPOINT_URL_SQS}/${LOCAL_SQS_ACCOUNT}/${queue}`;
  }
  const { redriven, unreadable } = await redrive(queueUrl);
  console.log(
    `${redriven} event(s) re-invoked from ${queueUrl}${unreadable ? `; ${unreadable} message(s) of no known shape left in the queue` : ''}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
