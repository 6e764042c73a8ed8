/**
 * Errors of the LLM layer. Step Functions and the router match on `name`, so every class sets it.
 */

/** The model's answer was not JSON matching the agent's schema, even after the repair round. */
export class LlmSchemaError extends Error {
  constructor(
    readonly agent: string,
    readonly model: string,
    readonly problems: string,
  ) {
    super(`${agent}: ${model} returned output that does not match the schema: ${problems}`);
    this.name = 'LlmSchemaError';
  }
}

/**
 * A provider request failed. `transient` failures (rate limit, server error, timeout, network)
 * are retried on the same model; the others move on to the next model at once.
 */
export class LlmCallFailed extends Error {
  /** The HTTP status, when the failure was an HTTP response. */
  readonly status: number | undefined;

  constructor(
    readonly model: string,
    message: string,
    readonly transient: boolean,
    options?: { status?: number; cause?: unknown },
  ) {
    super(`${model}: ${message}`, { cause: options?.cause });
    this.name = 'LlmCallFailed';
    this.status = options?.status;
  }
}

/** Every model of the chain failed; `cause` is the last model's error. */
export class LlmUnavailable extends Error {
  constructor(
    readonly agent: string,
    readonly models: string[],
    cause: unknown,
  ) {
    super(`${agent}: no model answered (tried ${models.join(', ')}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'LlmUnavailable';
  }
}
