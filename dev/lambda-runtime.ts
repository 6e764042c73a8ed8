import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';
import { logger } from '../shared/core/logger';

/** The repository root: entries in the route table and template metadata are relative to it. */
export const repoRoot = resolve(import.meta.dirname, '..');

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const loaded = new Map<string, Promise<Handler>>();

/** Imports a handler module once, like a warm Lambda container keeps its module state. */
export function loadHandler(entry: string): Promise<Handler> {
  let handler = loaded.get(entry);
  if (!handler) {
    handler = import(pathToFileURL(resolve(repoRoot, entry)).href).then((module: { handler?: Handler }) => {
      if (typeof module.handler !== 'function') throw new Error(`${entry} does not export a handler`);
      return module.handler;
    });
    loaded.set(entry, handler);
  }
  return handler;
}

export function lambdaContext(functionName: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  const fail = () => {
    throw new Error('callback-style completion is not supported; handlers are async');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}

/**
 * Which function the current async work belongs to. In the cloud every function has its own
 * process; here they share one, so tools that observe the SDK (the bench's request counter) ask
 * this instead.
 */
export const invocationScope = new AsyncLocalStorage<{ functionName: string }>();

/**
 * Here every function shares one process and one logger, as invocations share an execution
 * environment on Lambda Managed Instances: the same opt-in (AWS_LAMBDA_MAX_CONCURRENCY) and the
 * same InvokeStore make Powertools keep the Lambda context and appended keys per invocation.
 */
const invokeStore = await InvokeStore.getInstanceAsync(true);
// Set once the store exists: Powertools looks for it as soon as the variable is there.
process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '1000';

/** Runs one invocation in its own scope, its log lines naming its own function (`function_name`, `function_request_id`). */
export function runHandler(handler: Handler, event: unknown, context: Context): Promise<unknown> {
  return invocationScope.run({ functionName: context.functionName }, () =>
    invokeStore.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, () => {
      logger.addContext(context);
      return handler(event, context);
    }),
  );
}

export async function invokeLocal(entry: string, event: unknown, functionName = entry): Promise<unknown> {
  return runHandler(await loadHandler(entry), event, lambdaContext(functionName));
}
