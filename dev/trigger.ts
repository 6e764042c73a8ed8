import { parseArgs } from 'node:util';
import { invokeLocal } from './lambda-runtime';
import { scheduledEvent } from './scheduler';
import { attachToRunningStack } from './state';

/** `npm run trigger [-- --at <iso time>]`: runs the posting trigger once against the running local stack. */
const { values } = parseArgs({ options: { at: { type: 'string' } } });
const at = values.at ? new Date(values.at) : new Date();
if (Number.isNaN(at.getTime())) {
  console.error(`--at must be an ISO date-time, got ${values.at}`);
  process.exit(2);
}
attachToRunningStack();
const result = await invokeLocal('functions/triggers/posting-trigger.ts', scheduledEvent('PostingSchedule', at), 'PostingTrigger');
console.log(JSON.stringify(result, null, 2));
