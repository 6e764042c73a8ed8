import { defineConfig } from 'vitest/config';

export const testEnv = {
  // Unit tests' configuration; the integration tests' local stack overrides it in-process.
  TABLE_NAME: 'crescendo-test',
  MEDIA_BUCKET_NAME: 'crescendo-media-test',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:test',
  WORKFLOW_TIMEOUT_SECONDS: '7200',
  REGENERATE_FUNCTION_NAME: 'regenerate-worker-test',
  EVENT_BUS_NAME: 'crescendo-events-test',
  WEBHOOK_DELIVERY_FUNCTION_NAME: 'webhook-delivery-test',
  REPORT_FUNCTION_NAME: 'report-worker-test',
  // Handler unit tests count the table requests of the handler alone; the limiter has its own tests.
  RATE_LIMIT: 'off',
  POSTING_SHARD_FUNCTION_NAME: 'posting-shard-test',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
};

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: testEnv,
  },
});
